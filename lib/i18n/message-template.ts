/**
 * Messages said on every row of a long list, at the price of a string join. next-intl formats
 * each call through ICU (tens of µs: the sites list's fifty rows said some 450 of them, a tenth of
 * the page's server time); a row's message differs from its neighbour's only by the values put in.
 */

/** Private-use characters: they stand for the row's values while the message is formatted once. */
const FIRST_MARK = 0xe000;

/**
 * The message `format` gives, formatted once with a mark for each of its parameters, then cut at
 * the marks: `template((url) => t('visitTitle', { url }))('http://a/')` is `t('visitTitle',
 * { url: 'http://a/' })`. Only for values the message puts in as they are (`{url}`); a value the
 * message selects or counts on (`{shared, select, ...}`, `{n, plural, ...}`) is fixed in `format`.
 */
export function template<Values extends string[]>(format: (...values: Values) => string): (...values: Values) => string {
  const marks = Array.from({ length: format.length }, (_, i) => String.fromCharCode(FIRST_MARK + i));
  const text = format(...(marks as Values));
  const pieces: string[] = [];
  const order: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const which = text.charCodeAt(i) - FIRST_MARK;
    if (which < 0 || which >= marks.length) continue;
    pieces.push(text.slice(start, i));
    order.push(which);
    start = i + 1;
  }
  pieces.push(text.slice(start));
  return (...values) => {
    let out = pieces[0]!;
    for (let i = 0; i < order.length; i++) out += values[order[i]!]! + pieces[i + 1]!;
    return out;
  };
}

/** `say(value)` said once per value: for messages that select on a few values (a status, a state). */
export function oncePerValue<Value>(say: (value: Value) => string): (value: Value) => string {
  const said = new Map<Value, string>();
  return (value) => {
    let text = said.get(value);
    if (text === undefined) said.set(value, (text = say(value)));
    return text;
  };
}
