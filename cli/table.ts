/**
 * Plain-text tables for the CLI: aligned columns, numbers to the right, long cells cut with an
 * ellipsis so a row stays on one line of the terminal.
 */

/** How a column is aligned. */
export type Align = 'left' | 'right';

/** One column of a table. */
export interface TableColumn {
  header: string;
  align?: Align;
  /** Cells longer than this are cut (with `…`). */
  maxWidth?: number;
}

/** Thousands separators, fixed (not locale-dependent), so output is the same everywhere. */
export function formatCount(value: number): string {
  const [whole = '', fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** Cuts `text` to at most `width` characters, marking the cut with `…`; line breaks become spaces. */
export function fitCell(text: string, width: number): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  if (flat.length <= width) return flat;
  return width <= 1 ? flat.slice(0, width) : `${flat.slice(0, width - 1)}…`;
}

/**
 * Renders rows under headers. Two spaces between columns; trailing spaces trimmed.
 *
 * @returns the table's lines, header and rule first.
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[]): string[] {
  const cells = rows.map((row) =>
    columns.map((column, i) => fitCell(row[i] ?? '', column.maxWidth ?? Number.POSITIVE_INFINITY)),
  );
  // A loop, not Math.max(...cells): a spread of thousands of rows can overflow the stack.
  const widths = columns.map((column, i) =>
    cells.reduce((width, row) => Math.max(width, (row[i] as string).length), column.header.length),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) =>
        columns[i]?.align === 'right' ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number),
      )
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '─'.repeat(width))),
    ...cells.map(line),
  ];
}
