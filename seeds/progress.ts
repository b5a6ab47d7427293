/** Loading progress for people: a bar redrawn in place on a terminal, a line every 10% elsewhere (logs). */
import type { LoadProgress } from "./loader/load.js";

const WIDTH = 30;

export function progressPrinter(stream: { write(text: string): unknown; isTTY?: boolean }): (progress: LoadProgress) => void {
  let lastDecile = -1;
  return ({ phase, done, total, perSecond }) => {
    const share = Math.min(done / total, 1);
    const figures = `${done.toLocaleString("en")}/${total.toLocaleString("en")} events, ${Math.round(perSecond).toLocaleString("en")}/s`;
    if (phase === "registering") {
      stream.write("registering organisations, members and facilities that are missing…\n");
    } else if (stream.isTTY === true) {
      const filled = Math.round(share * WIDTH);
      stream.write(`\r[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${figures}${phase === "done" ? "\n" : ""}`);
    } else if (phase === "done" || Math.floor(share * 10) > lastDecile) {
      lastDecile = Math.floor(share * 10);
      stream.write(`${phase === "done" ? "loaded" : "loading"}: ${figures}\n`);
    }
  };
}
