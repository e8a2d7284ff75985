// `invent db sql`: one statement, for operator maintenance. Parameterless by nature: it is the
// operator's own SQL, never user input from the web.

/** True when the text holds more than one statement (a `;` followed by anything but comments). */
export function hasSeveralStatements(sql: string): boolean {
  let i = 0;
  let ended = false;
  while (i < sql.length) {
    const ch = sql[i]!;
    const two = sql.slice(i, i + 2);
    if (two === '--') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
      continue;
    }
    if (two === '/*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ended) return true;
    if (ch === ';') {
      ended = true;
      i++;
      continue;
    }
    const close = ch === "'" ? "'" : ch === '"' ? '"' : ch === '`' ? '`' : ch === '[' ? ']' : undefined;
    if (close) {
      i++;
      while (i < sql.length) {
        if (sql[i] === close) {
          // A doubled quote is an escaped quote inside the literal.
          if (close !== ']' && sql[i + 1] === close) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      continue;
    }
    i++;
  }
  return false;
}

export function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof ArrayBuffer) return { base64: btoa(String.fromCharCode(...new Uint8Array(v))) };
  if (v instanceof Uint8Array) return { base64: btoa(String.fromCharCode(...v)) };
  return v;
}
