/**
 * Reads TraceGate's settings for one command, the same way in every command: flags win over variables,
 * every bad value is collected (each naming its flag or variable and what it takes), and a TRACEGATE_*
 * variable no command reads is refused as a typo rather than silently ignored.
 */
import { isAddress } from "ethers";
import { isVariable, nearestVariable, VARIABLES, type Command, type Variable } from "./catalogue.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** The command's flags that override variables: the flag as typed (`--metrics-port`) and its value, if given. */
export type FlagValues = Partial<Record<Variable, { flag: string; value: string | undefined }>>;

/** Each command turns `problems` into its own refusal: exit 2 with the list, a usage error, a ConfigurationError. */
export class SettingsReader {
  readonly problems: string[] = [];

  constructor(
    readonly command: Command,
    readonly env: Environment,
    private readonly flags: FlagValues = {},
  ) {
    for (const name of Object.keys(env).sort()) {
      if (!name.startsWith("TRACEGATE_") || isVariable(name)) continue;
      const near = nearestVariable(name);
      this.problems.push(`${name} is not a TraceGate setting${near === undefined ? "" : `: did you mean ${near}?`} (README.md lists them all); unset it`);
    }
  }

  /** The setting as given, flag first, trimmed; undefined when unset or empty. */
  text(variable: Variable): string | undefined {
    if (!(VARIABLES[variable] as readonly Command[]).includes(this.command)) {
      throw new Error(`${variable} is not catalogued as read by ${this.command}: add it to sdk/settings/catalogue.ts and README.md`);
    }
    const given = this.flags[variable]?.value ?? this.env[variable];
    const text = given?.trim();
    return text === undefined || text === "" ? undefined : text;
  }

  /** How a message names the setting: the flag when the value came from it, else the variable. */
  nameOf(variable: Variable): string {
    const flag = this.flags[variable];
    return flag?.value !== undefined && flag.value.trim() !== "" ? flag.flag : variable;
  }

  /** Records that a required setting is missing, naming its variable (and flag) and why it is needed. */
  missing(variable: Variable, why: string): void {
    const flag = this.flags[variable]?.flag;
    this.problem(`${variable}${flag === undefined ? "" : ` (or ${flag})`} is not set: ${why}`);
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** A TCP port, 0 meaning any free one. */
  port(variable: Variable, fallback: number): number {
    const text = this.text(variable);
    if (text === undefined) return fallback;
    if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) this.problem(`${this.nameOf(variable)} must be a port number 0-65535, not "${text}"`);
    return Number(text);
  }

  /** A whole number of at least `least`, or undefined when not given. */
  wholeNumber(variable: Variable, least: number, what = "a whole number"): number | undefined {
    const text = this.text(variable);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < least) {
      this.problem(`${this.nameOf(variable)} must be ${what}${least > 0 ? ` of at least ${least}` : ""}, not "${text}"`);
      return undefined;
    }
    return value;
  }

  /** An http(s) URL, or undefined when not given. */
  url(variable: Variable, example: string): string | undefined {
    const text = this.text(variable);
    if (text !== undefined && !/^https?:\/\/\S+$/.test(text)) this.problem(`${this.nameOf(variable)} must be an http(s) URL such as ${example}, not "${text}"`);
    return text;
  }

  /** One http(s) URL or several, comma-separated (several endpoints of one chain), or undefined when not given. */
  urls(variable: Variable, example: string): string[] | undefined {
    const text = this.text(variable);
    if (text === undefined) return undefined;
    const { urls, problem } = urlList(text, example);
    if (problem !== undefined) this.problem(`${this.nameOf(variable)} ${problem}`);
    return urls;
  }

  /** A 0x-prefixed 20-byte address (its checksum right when mixed case), or undefined when not given. */
  address(variable: Variable): string | undefined {
    const text = this.text(variable);
    if (text !== undefined && !isAddress(text)) this.problem(`${this.nameOf(variable)} must be a 0x-prefixed 20-byte address, not "${text}"`);
    return text;
  }
}

/** A comma-separated list of http(s) URLs, and what is wrong with it (an entry that is no URL, or one listed twice). */
export function urlList(text: string, example: string): { urls: string[]; problem?: string } {
  const urls = text.split(",").map((url) => url.trim());
  const bad = urls.find((url) => !/^https?:\/\/\S+$/.test(url));
  if (bad !== undefined) {
    return {
      urls,
      problem:
        urls.length === 1
          ? `must be an http(s) URL such as ${example}, not "${text}"`
          : `must be http(s) URLs such as ${example}, comma-separated; "${bad}" is not one`,
    };
  }
  const twice = urls.find((url, index) => urls.indexOf(url) !== index);
  if (twice !== undefined) return { urls, problem: `lists ${twice} twice` };
  return { urls };
}
