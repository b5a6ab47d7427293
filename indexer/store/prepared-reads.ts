/**
 * Which reads a PostgreSQL store runs as named prepared statements, and under what names. Only reads
 * (a statement that starts with `select`): the indexer's writes change shape with every batch. Only
 * short parameter lists: a long `in` list's text rarely repeats. And at most MAX_PREPARED texts, since
 * the server keeps each one's plan per connection for the connection's life.
 */
export const MAX_PREPARED = 1_000;
export const MAX_PREPARED_PARAMETERS = 64;

export class PreparedReads {
  private readonly names = new Map<string, string>();
  private issued = 0;

  /** The statement name for this SQL text, or undefined when it is to run unnamed. */
  nameOf(text: string, parameters: number): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined) return known;
    if (parameters > MAX_PREPARED_PARAMETERS || this.names.size >= MAX_PREPARED || !/^\s*select\s/i.test(text)) return undefined;
    // Never reused for another text: a connection refuses a known name with a new text.
    const name = `tracegate_read_${++this.issued}`;
    this.names.set(text, name);
    return name;
  }

  /** Gives the text a new name when next run (its plan no longer matches the tables). */
  forget(text: string): void {
    this.names.delete(text);
  }
}
