/** Reads a QR code back from a PNG, as a phone's scanner would: the text it carries, or an error. */
import jsQRModule from "jsqr";
import { PNG } from "pngjs";

// jsqr is CommonJS with an ES default export: Node's import gives the module object, whose default is the function.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;

export function decodeQrPng(png: Uint8Array): string {
  const image = PNG.sync.read(Buffer.from(png));
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
  if (code === null) throw new Error("no QR code found in the image");
  return code.data;
}
