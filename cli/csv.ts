/**
 * A small RFC 4180 CSV reader for the CloudWatch console's exports: quoted fields may hold commas,
 * doubled quotes and line breaks (a log message with a traceback).
 *
 * Kept rather than replaced by csv-parse (the well-kept choice, weighed for this): an export cut
 * short (a download interrupted inside a quoted traceback) must still give its events, the last
 * one flagged. csv-parse ends such a text with a CSV_QUOTE_NOT_CLOSED error that drops the open
 * record (or, with skip_records_with_error, skips it silently), and a stray quote after a closing
 * one (`"c"d`) is an error there too, where the console's exports want leniency. What is needed
 * is this one small state machine, covered by test/unit/cli/csv.test.ts; the CLI bundles no
 * parser it would use only partly.
 */

/** One parsed record and the line of the input it starts on (1-based). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** The records of a CSV text, and whether it ended inside an open quoted field. */
export interface CsvParseResult {
  records: CsvRecord[];
  /** The text ended inside a quoted field: the last record is incomplete. */
  unterminated: boolean;
}

/**
 * Parses CSV text. Accepts LF and CRLF line ends and a UTF-8 byte order mark; blank lines are
 * skipped. A quote inside an unquoted field is kept as a character (lenient, like spreadsheets).
 */
export function parseCsv(text: string): CsvParseResult {
  const records: CsvRecord[] = [];
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let recordQuoted = false;
  let line = 1;
  let recordLine = 1;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    // A blank line is one empty, unquoted field: not a record.
    if (recordQuoted || fields.length > 1 || fields[0] !== '') records.push({ fields, line: recordLine });
    fields = [];
    recordQuoted = false;
  };

  for (let i = 0; i < input.length; i++) {
    const char = input[i] as string;
    if (quoted) {
      if (char === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      recordQuoted = true;
    } else if (char === ',') {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  const unterminated = quoted;
  if (fieldStarted || field !== '' || fields.length > 0) endRecord();
  return { records, unterminated };
}
