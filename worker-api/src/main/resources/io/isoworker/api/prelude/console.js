// console (Console Standard, with the methods V8 adds): every call formats its arguments and sends one message to
// the host's log, tagged with the script name. Values are printed the way Workers prints them (Node's
// util.inspect style): `Map(1) { 'a' => 1 }`, `[ 1, 2, 3 ]`, `Foo { x: 1 }`, `<ref *1> { self: [Circular *1] }`.

const INSPECT_DEFAULTS = { depth: 2, breakLength: 80, compact: 3, maxArrayLength: 100, maxBytes: 50 };
const INSPECT_CUSTOM = Symbol.for('nodejs.util.inspect.custom');
const IDENTIFIER_KEY = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Int8Array.prototype);
const TYPED_ARRAY_TAG_GETTER = Object.getOwnPropertyDescriptor(TYPED_ARRAY_PROTOTYPE, Symbol.toStringTag).get;
const HostDatePrototype = Date.prototype;

// Formats any value as a string: strings at the top level print as they are, nested ones quoted.
function inspectValue(value, options = undefined) {
  const ctx = {
    depth: options && options.depth !== undefined ? options.depth : INSPECT_DEFAULTS.depth,
    indent: 0,
    seen: [],
    circular: null, // Map: object -> reference number
    currentDepth: 0,
  };
  return inspectFormat(ctx, value, 0, options !== undefined && options.quoteStrings === true);
}

// The earlier entry point (value, depth, seen, nested), kept for prelude callers.
function inspect(value, depth = 0, seen = undefined, nested = false) {
  return inspectValue(value, { quoteStrings: nested });
}

function inspectFormat(ctx, value, level, quoteStrings) {
  switch (typeof value) {
    case 'string': return quoteStrings ? inspectQuote(value) : value;
    case 'number': return inspectNumber(value);
    case 'bigint': return value + 'n';
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol': return value.toString();
  }
  if (value === null) {
    return 'null';
  }
  const custom = inspectCustom(ctx, value, level);
  if (custom !== undefined) {
    return custom;
  }
  if (ctx.seen.includes(value)) {
    if (ctx.circular === null) {
      ctx.circular = new Map();
    }
    if (!ctx.circular.has(value)) {
      ctx.circular.set(value, ctx.circular.size + 1);
    }
    return '[Circular *' + ctx.circular.get(value) + ']';
  }
  return inspectObject(ctx, value, level);
}

function inspectCustom(ctx, value, level) {
  let fn;
  try {
    fn = value[INSPECT_CUSTOM];
  } catch (e) {
    return undefined;
  }
  if (typeof fn !== 'function') {
    return undefined;
  }
  const result = Reflect.apply(fn, value, [ctx.depth - level, { depth: ctx.depth - level }, inspectValue]);
  if (result === value) {
    return undefined;
  }
  return typeof result === 'string' ? result : inspectFormat(ctx, result, level, true);
}

function inspectNumber(n) {
  return Object.is(n, -0) ? '-0' : String(n);
}

// Single quotes, or double quotes or backticks when that avoids escaping, as Node does.
function inspectQuote(s) {
  let quote = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) {
      quote = '"';
    } else if (!s.includes('`') && !s.includes('${')) {
      quote = '`';
    }
  }
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === quote || c === '\\') {
      out += '\\' + c;
    } else if (code < 0x20 || code === 0x7f) {
      out += inspectControlEscape(c, code);
    } else {
      out += c;
    }
  }
  return quote + out + quote;
}

function inspectControlEscape(c, code) {
  switch (c) {
    case '\n': return '\\n';
    case '\t': return '\\t';
    case '\r': return '\\r';
    case '\b': return '\\b';
    case '\f': return '\\f';
    case '\v': return '\\v';
    default: return '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
  }
}

function inspectKey(key) {
  if (typeof key === 'symbol') {
    return '[' + key.toString() + ']';
  }
  return IDENTIFIER_KEY.test(key) ? key : inspectQuote(key);
}

// The name of the nearest constructor on the prototype chain, or null for an object without one.
function inspectConstructorName(value) {
  for (let p = value; p !== null; p = Object.getPrototypeOf(p)) {
    const desc = Object.getOwnPropertyDescriptor(p, 'constructor');
    if (desc !== undefined && typeof desc.value === 'function' && desc.value.name !== '') {
      return desc.value.name;
    }
  }
  return null;
}

function inspectTag(value, constructorName) {
  let tag;
  try {
    tag = value[Symbol.toStringTag];
  } catch (e) {
    return '';
  }
  return typeof tag === 'string' && tag !== '' && tag !== constructorName ? tag : '';
}

// "Foo ", "Foo [tag] ", or "[Object: null prototype] ".
function inspectPrefix(constructorName, tag, fallback) {
  if (constructorName === null) {
    return '[' + fallback + ': null prototype] ' + (tag !== '' ? '[' + tag + '] ' : '');
  }
  return constructorName + (tag !== '' ? ' [' + tag + ']' : '') + ' ';
}

// "Map(2) ", "Foo(2) [tag] ".
function inspectSizedPrefix(constructorName, tag, fallback, size) {
  if (constructorName === null) {
    return '[' + fallback + '(' + size + '): null prototype] ' + (tag !== '' ? '[' + tag + '] ' : '');
  }
  return constructorName + '(' + size + ')' + (tag !== '' ? ' [' + tag + ']' : '') + ' ';
}

function inspectIsTypedArray(value) {
  return Reflect.apply(TYPED_ARRAY_TAG_GETTER, value, []) !== undefined;
}

function inspectBrand(value, proto, valueOf) {
  if (!(value instanceof proto.constructor)) {
    return false;
  }
  try {
    Reflect.apply(valueOf, value, []);
    return true;
  } catch (e) {
    return false;
  }
}

function inspectObject(ctx, value, level) {
  const constructorName = inspectConstructorName(value);
  const tag = inspectTag(value, constructorName);
  if (typeof value === 'function') {
    return inspectFunction(ctx, value, level, constructorName);
  }
  if (level > ctx.depth) {
    const name = Array.isArray(value) ? 'Array' : constructorName;
    return name === null ? '[Object: null prototype]' : '[' + (tag !== '' ? name + ' [' + tag + ']' : name) + ']';
  }
  ctx.seen.push(value);
  ctx.currentDepth = level;
  let out;
  try {
    out = inspectRaw(ctx, value, level, constructorName, tag);
  } finally {
    ctx.seen.pop();
  }
  if (ctx.circular !== null && ctx.circular.has(value)) {
    out = '<ref *' + ctx.circular.get(value) + '> ' + out;
  }
  return out;
}

function inspectRaw(ctx, value, level, constructorName, tag) {
  let keys = inspectOwnKeys(value);
  let entries = [];
  let braces = ['{', '}'];
  let base = '';
  let prefix = '';
  let grouped = false;
  const inner = (v) => inspectChild(ctx, v, level);
  if (Array.isArray(value)) {
    prefix = constructorName === 'Array' && tag === '' ? '' : inspectSizedPrefix(constructorName, tag, 'Array',
      value.length);
    braces = ['[', ']'];
    entries = inspectArrayItems(ctx, value, level);
    keys = keys.filter((k) => typeof k === 'symbol' || !inspectIsArrayIndex(k));
    grouped = true;
  } else if (ArrayBuffer.isView(value) && inspectIsTypedArray(value)) {
    const items = [];
    const n = Math.min(value.length, INSPECT_DEFAULTS.maxArrayLength);
    for (let i = 0; i < n; i++) {
      items.push(typeof value[i] === 'bigint' ? value[i] + 'n' : inspectNumber(value[i]));
    }
    inspectMoreItems(items, value.length - n);
    prefix = inspectSizedPrefix(constructorName, tag === Reflect.apply(TYPED_ARRAY_TAG_GETTER, value, []) ? '' : tag,
      'TypedArray', value.length);
    braces = ['[', ']'];
    entries = items;
    keys = keys.filter((k) => typeof k === 'symbol' || !inspectIsArrayIndex(k));
    grouped = true;
  } else if (value instanceof Map) {
    prefix = inspectSizedPrefix(constructorName, tag === 'Map' ? '' : tag, 'Map', value.size);
    let n = 0;
    for (const [k, v] of value) {
      if (n++ >= INSPECT_DEFAULTS.maxArrayLength) {
        break;
      }
      entries.push(inner(k) + ' => ' + inner(v));
    }
    inspectMoreItems(entries, value.size - INSPECT_DEFAULTS.maxArrayLength);
  } else if (value instanceof Set) {
    prefix = inspectSizedPrefix(constructorName, tag === 'Set' ? '' : tag, 'Set', value.size);
    let n = 0;
    for (const v of value) {
      if (n++ >= INSPECT_DEFAULTS.maxArrayLength) {
        break;
      }
      entries.push(inner(v));
    }
    inspectMoreItems(entries, value.size - INSPECT_DEFAULTS.maxArrayLength);
  } else if (value instanceof ArrayBuffer) {
    prefix = inspectPrefix(constructorName, tag === 'ArrayBuffer' ? '' : tag, 'ArrayBuffer');
    entries.push('[Uint8Contents]: <' + inspectBytes(value) + '>', 'byteLength: ' + value.byteLength);
  } else if (value instanceof DataView) {
    prefix = inspectPrefix(constructorName, tag === 'DataView' ? '' : tag, 'DataView');
    entries.push('byteLength: ' + value.byteLength, 'byteOffset: ' + value.byteOffset, 'buffer: ' + inner(value.buffer));
  } else if (value instanceof Error) {
    base = inspectError(ctx, value);
    keys = keys.filter((k) => k !== 'stack' && k !== 'message');
    if (Object.prototype.hasOwnProperty.call(value, 'cause') && !keys.includes('cause')) {
      entries.push('[cause]: ' + inner(value.cause));
    }
  } else if (value instanceof HostDate && inspectBrand(value, HostDate.prototype, HostDatePrototype.getTime)) {
    base = isNaN(HostDatePrototype.getTime.call(value)) ? 'Invalid Date' : HostDatePrototype.toISOString.call(value);
  } else if (value instanceof RegExp) {
    base = RegExp.prototype.toString.call(value);
  } else if (value instanceof Promise) {
    prefix = inspectPrefix(constructorName, tag === 'Promise' ? '' : tag, 'Promise');
  } else if (value instanceof WeakMap || value instanceof WeakSet) {
    prefix = inspectPrefix(constructorName, '', 'Object');
    entries.push('<items unknown>');
  } else {
    const boxed = inspectBoxed(value);
    if (boxed !== null) {
      base = boxed;
      if (value instanceof String) {
        keys = keys.filter((k) => typeof k === 'symbol' || !inspectIsArrayIndex(k));
      }
    } else {
      prefix = constructorName === 'Object' && tag === '' ? '' : inspectPrefix(constructorName, tag, 'Object');
    }
  }
  for (const key of keys) {
    entries.push(inspectProperty(ctx, value, key, level));
  }
  if (base !== '') {
    if (entries.length === 0) {
      return base;
    }
    prefix = base + ' ';
  } else if (entries.length === 0) {
    return prefix + braces[0] + braces[1];
  }
  return inspectJoin(ctx, prefix, braces, entries, level, grouped);
}

function inspectChild(ctx, value, level) {
  ctx.indent += 2;
  try {
    return inspectFormat(ctx, value, level + 1, true);
  } finally {
    ctx.indent -= 2;
  }
}

function inspectIsArrayIndex(key) {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key && n < 4294967295;
}

// Own enumerable string and symbol keys.
function inspectOwnKeys(value) {
  const keys = Object.keys(value);
  for (const s of Object.getOwnPropertySymbols(value)) {
    if (Object.prototype.propertyIsEnumerable.call(value, s) && !isInternalSlot(s)) {
      keys.push(s);
    }
  }
  return keys;
}

function inspectProperty(ctx, value, key, level) {
  const desc = Object.getOwnPropertyDescriptor(value, key);
  let shown;
  if (desc === undefined) {
    shown = 'undefined';
  } else if (desc.get !== undefined || desc.set !== undefined) {
    shown = desc.get !== undefined ? (desc.set !== undefined ? '[Getter/Setter]' : '[Getter]') : '[Setter]';
  } else {
    shown = inspectChild(ctx, desc.value, level);
  }
  return inspectKey(key) + ': ' + shown;
}

function inspectArrayItems(ctx, array, level) {
  const items = [];
  const length = array.length;
  let i = 0;
  while (i < length && items.length < INSPECT_DEFAULTS.maxArrayLength) {
    if (!Object.prototype.hasOwnProperty.call(array, i)) {
      let holes = 0;
      while (i < length && !Object.prototype.hasOwnProperty.call(array, i)) {
        holes++;
        i++;
      }
      items.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
      continue;
    }
    items.push(inspectChild(ctx, array[i], level));
    i++;
  }
  inspectMoreItems(items, length - i);
  return items;
}

function inspectMoreItems(items, more) {
  if (more > 0) {
    items.push('... ' + more + ' more item' + (more > 1 ? 's' : ''));
  }
}

function inspectBytes(buffer) {
  const bytes = new Uint8Array(buffer, 0, Math.min(buffer.byteLength, INSPECT_DEFAULTS.maxBytes));
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    out += (i > 0 ? ' ' : '') + bytes[i].toString(16).padStart(2, '0');
  }
  const more = buffer.byteLength - bytes.length;
  return more > 0 ? out + ' ... ' + more + ' more byte' + (more > 1 ? 's' : '') : out;
}

function inspectError(ctx, error) {
  let stack;
  try {
    stack = error.stack;
  } catch (e) {
    stack = undefined;
  }
  let text;
  if (typeof stack === 'string' && stack !== '') {
    text = stack;
  } else {
    let name = 'Error';
    let message = '';
    try {
      name = String(error.name);
      message = String(error.message);
    } catch (e) {
      // keep the defaults
    }
    text = '[' + (message ? name + ': ' + message : name) + ']';
  }
  return ctx.indent > 0 ? text.replace(/\n/g, '\n' + ' '.repeat(ctx.indent)) : text;
}

function inspectBoxed(value) {
  if (inspectBrand(value, Number.prototype, Number.prototype.valueOf)) {
    return '[Number: ' + inspectNumber(Number.prototype.valueOf.call(value)) + ']';
  }
  if (inspectBrand(value, String.prototype, String.prototype.valueOf)) {
    return '[String: ' + inspectQuote(String.prototype.valueOf.call(value)) + ']';
  }
  if (inspectBrand(value, Boolean.prototype, Boolean.prototype.valueOf)) {
    return '[Boolean: ' + Boolean.prototype.valueOf.call(value) + ']';
  }
  if (inspectBrand(value, BigInt.prototype, BigInt.prototype.valueOf)) {
    return '[BigInt: ' + BigInt.prototype.valueOf.call(value) + 'n]';
  }
  if (inspectBrand(value, Symbol.prototype, Symbol.prototype.valueOf)) {
    return '[Symbol: ' + Symbol.prototype.valueOf.call(value).toString() + ']';
  }
  return null;
}

function inspectFunction(ctx, fn, level, constructorName) {
  let source = '';
  try {
    source = Function.prototype.toString.call(fn);
  } catch (e) {
    // a revoked proxy or the like
  }
  let base;
  if (source.startsWith('class') && /^class[\s{]/.test(source)) {
    base = '[class ' + (fn.name || '(anonymous)');
    const parent = Object.getPrototypeOf(fn);
    if (typeof parent === 'function' && parent.name) {
      base += ' extends ' + parent.name;
    }
    base += ']';
  } else {
    const kind = constructorName === 'AsyncFunction' || constructorName === 'GeneratorFunction'
      || constructorName === 'AsyncGeneratorFunction' ? constructorName : 'Function';
    base = '[' + kind + (fn.name ? ': ' + fn.name : ' (anonymous)') + ']';
  }
  const keys = inspectOwnKeys(fn);
  if (keys.length === 0 || level > ctx.depth) {
    return base;
  }
  ctx.seen.push(fn);
  try {
    const entries = keys.map((k) => inspectProperty(ctx, fn, k, level));
    return inspectJoin(ctx, base + ' ', ['{', '}'], entries, level, false);
  } finally {
    ctx.seen.pop();
  }
}

// One line when the entries fit in the break length and nest at most `compact` levels; otherwise one entry per
// line (or, for long arrays of short items, several items per line in aligned columns).
function inspectJoin(ctx, prefix, braces, entries, level, grouped) {
  let lines = entries;
  if (grouped && entries.length > 6) {
    lines = inspectGroupColumns(ctx, entries);
  }
  if (lines === entries && ctx.currentDepth - level < INSPECT_DEFAULTS.compact) {
    let width = entries.length * 2 + ctx.indent + braces[0].length + prefix.length + 10;
    let multiline = prefix.includes('\n');
    for (const e of entries) {
      width += e.length;
      if (e.includes('\n')) {
        multiline = true;
      }
    }
    if (!multiline && width + entries.length <= INSPECT_DEFAULTS.breakLength) {
      return prefix + braces[0] + ' ' + entries.join(', ') + ' ' + braces[1];
    }
  }
  const pad = '\n' + ' '.repeat(ctx.indent);
  return prefix + braces[0] + pad + '  ' + lines.join(',' + pad + '  ') + pad + braces[1];
}

// Lays many short array items out in columns: about as many rows as columns (a character being ~2.5 times as tall
// as wide), at most 15 columns and never wider than the break length. Numbers are right-aligned.
function inspectGroupColumns(ctx, entries) {
  const hasMore = entries[entries.length - 1].startsWith('... ');
  const items = hasMore ? entries.slice(0, -1) : entries;
  let total = 0;
  let longest = 0;
  for (const e of items) {
    total += e.length + 2;
    longest = Math.max(longest, e.length);
  }
  const cell = longest + 2;
  if (cell * 3 + ctx.indent >= INSPECT_DEFAULTS.breakLength || (total / cell <= 5 && longest > 6)) {
    return entries;
  }
  const slack = Math.sqrt(cell - total / entries.length);
  const narrow = Math.max(cell - 3 - slack, 1);
  const columns = Math.min(Math.round(Math.sqrt(2.5 * narrow * items.length) / narrow),
    Math.floor((INSPECT_DEFAULTS.breakLength - ctx.indent) / cell), INSPECT_DEFAULTS.compact * 4, 15);
  if (columns <= 1) {
    return entries;
  }
  const widths = [];
  for (let c = 0; c < columns; c++) {
    let w = 0;
    for (let i = c; i < items.length; i += columns) {
      w = Math.max(w, items[i].length);
    }
    widths.push(w);
  }
  const rightAlign = items.every((e) => /^-?[\d.]+n?$|^NaN$|^-?Infinity$/.test(e));
  const rows = [];
  for (let start = 0; start < items.length; start += columns) {
    const end = Math.min(start + columns, items.length);
    let row = '';
    for (let i = start; i < end; i++) {
      const w = widths[i - start];
      const last = i === end - 1;
      if (rightAlign) {
        row += items[i].padStart(w) + (last ? '' : ', ');
      } else {
        row += last ? items[i] : (items[i] + ', ').padEnd(w + 2);
      }
    }
    rows.push(row);
  }
  if (hasMore) {
    rows.push(entries[entries.length - 1]);
  }
  return rows;
}

// The Console Standard's Formatter, with Node's specifiers: %s %d %i %f %j %o %O %c and %%.
function formatLogArgs(args) {
  if (args.length === 0) {
    return '';
  }
  const first = args[0];
  let out;
  let next = 1;
  if (typeof first === 'string') {
    if (args.length === 1) {
      return first;
    }
    out = '';
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) { // '%'
        continue;
      }
      const spec = first[i + 1];
      if (spec === '%') {
        out += first.slice(last, i) + '%';
        last = i + 2;
        i++;
        continue;
      }
      if (next >= args.length || !'sdifjoOc'.includes(spec)) {
        continue;
      }
      out += first.slice(last, i) + formatSpecifier(spec, args[next++]);
      last = i + 2;
      i++;
    }
    out += first.slice(last);
  } else {
    out = inspectValue(first);
  }
  for (let i = next; i < args.length; i++) {
    out += ' ' + (typeof args[i] === 'string' ? args[i] : inspectValue(args[i]));
  }
  return out;
}

function formatSpecifier(spec, arg) {
  switch (spec) {
    case 's':
      if (typeof arg === 'string') {
        return arg;
      }
      if (typeof arg === 'bigint') {
        return arg + 'n';
      }
      if (typeof arg === 'number') {
        return inspectNumber(arg);
      }
      if (arg !== null && (typeof arg === 'object' || typeof arg === 'function')) {
        return inspectValue(arg, { depth: 0 });
      }
      return String(arg);
    case 'd':
      if (typeof arg === 'bigint') {
        return arg + 'n';
      }
      return typeof arg === 'symbol' ? 'NaN' : inspectNumber(Number(arg));
    case 'i':
      if (typeof arg === 'bigint') {
        return arg + 'n';
      }
      return typeof arg === 'symbol' ? 'NaN' : inspectNumber(parseInt(arg, 10));
    case 'f':
      return typeof arg === 'symbol' ? 'NaN' : inspectNumber(parseFloat(arg));
    case 'j':
      try {
        return JSON.stringify(arg);
      } catch (e) {
        return '[Circular]';
      }
    case 'o': return inspectValue(arg, { depth: 4, quoteStrings: true });
    case 'O': return inspectValue(arg, { quoteStrings: true });
    default: return ''; // %c: CSS does not apply to a log
  }
}

const consoleCounts = new Map();
const consoleTimers = new Map();
let consoleIndent = '';

function consoleEmit(level, args) {
  consoleWrite(level, formatLogArgs(args));
}

function consoleWrite(level, text) {
  host.log(level, consoleIndent ? consoleIndent + text.replace(/\n/g, '\n' + consoleIndent) : text);
}

// "12ms", "1.5s": the clock is the frozen one, so it moves only across I/O and timers.
function consoleElapsed(start) {
  const ms = host.now() - start;
  return ms >= 1000 ? Number((ms / 1000).toFixed(3)) + 's' : Number(ms.toFixed(3)) + 'ms';
}

function consoleTable(data, properties) {
  if (data === null || typeof data !== 'object') {
    return null;
  }
  const rows = [];
  const columns = [];
  let hasValues = false;
  const addColumn = (k) => {
    if (!columns.includes(k)) {
      columns.push(k);
    }
  };
  const entries = data instanceof Map ? [...data].map(([k, v], i) => [String(i), v, k])
    : data instanceof Set ? [...data].map((v, i) => [String(i), v]) : Object.entries(data);
  for (const [index, row] of entries) {
    const cells = new Map();
    if (row !== null && typeof row === 'object') {
      for (const k of Object.keys(row)) {
        if (properties === undefined || properties.includes(k)) {
          addColumn(k);
          cells.set(k, inspectValue(row[k], { depth: 1, quoteStrings: true }));
        }
      }
    } else {
      hasValues = true;
      cells.set(CONSOLE_TABLE_VALUES, inspectValue(row, { quoteStrings: true }));
    }
    rows.push([index, cells]);
  }
  if (properties !== undefined) {
    columns.splice(0, columns.length, ...properties.map(String));
  }
  const header = ['(index)', ...columns];
  if (hasValues) {
    header.push('Values');
  }
  const body = rows.map(([index, cells]) => [index, ...columns.map((c) => cells.get(c) || ''),
    ...(hasValues ? [cells.get(CONSOLE_TABLE_VALUES) || ''] : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)) + 2);
  const line = (l, m, r) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
  const row = (cells) => '│' + cells.map((c, i) => ' ' + c.padEnd(widths[i] - 1)).join('│') + '│';
  return [line('┌', '┬', '┐'), row(header), line('├', '┼', '┤'), ...body.map(row), line('└', '┴', '┘')].join('\n');
}
const CONSOLE_TABLE_VALUES = Symbol('values');

const console = {
  log(...args) { consoleEmit('log', args); },
  info(...args) { consoleEmit('info', args); },
  debug(...args) { consoleEmit('debug', args); },
  warn(...args) { consoleEmit('warn', args); },
  error(...args) { consoleEmit('error', args); },
  dirxml(...args) { consoleEmit('info', args); },
  trace(...args) {
    const stack = new Error().stack.split('\n').slice(2).join('\n');
    consoleWrite('info', 'Trace' + (args.length ? ': ' + formatLogArgs(args) : '') + (stack ? '\n' + stack : ''));
  },
  dir(value, options = undefined) {
    const depth = options && typeof options === 'object' && options.depth !== undefined
      ? (options.depth === null ? Infinity : options.depth) : undefined;
    consoleWrite('info', inspectValue(value, { depth, quoteStrings: true }));
  },
  table(data, properties = undefined) {
    const table = consoleTable(data, Array.isArray(properties) ? properties : undefined);
    if (table === null) {
      consoleEmit('info', [data]);
    } else {
      consoleWrite('info', table);
    }
  },
  assert(condition = false, ...args) {
    if (condition) {
      return;
    }
    if (args.length === 0) {
      consoleWrite('error', 'Assertion failed');
    } else if (typeof args[0] === 'string') {
      consoleEmit('error', ['Assertion failed: ' + args[0], ...args.slice(1)]);
    } else {
      consoleEmit('error', ['Assertion failed:', ...args]);
    }
  },
  count(label = 'default') {
    label = String(label);
    const n = (consoleCounts.get(label) || 0) + 1;
    consoleCounts.set(label, n);
    consoleWrite('info', label + ': ' + n);
  },
  countReset(label = 'default') {
    label = String(label);
    if (!consoleCounts.delete(label)) {
      consoleWrite('warn', "Count for '" + label + "' does not exist");
    }
  },
  time(label = 'default') {
    label = String(label);
    if (consoleTimers.has(label)) {
      consoleWrite('warn', "Timer '" + label + "' already exists");
      return;
    }
    consoleTimers.set(label, host.now());
  },
  timeLog(label = 'default', ...args) {
    label = String(label);
    const start = consoleTimers.get(label);
    if (start === undefined) {
      consoleWrite('warn', "Timer '" + label + "' does not exist");
      return;
    }
    consoleEmit('info', [label + ': ' + consoleElapsed(start), ...args]);
  },
  timeEnd(label = 'default') {
    label = String(label);
    const start = consoleTimers.get(label);
    if (start === undefined) {
      consoleWrite('warn', "Timer '" + label + "' does not exist");
      return;
    }
    consoleTimers.delete(label);
    consoleWrite('info', label + ': ' + consoleElapsed(start));
  },
  group(...args) {
    if (args.length) {
      consoleEmit('info', args);
    }
    consoleIndent += '  ';
  },
  groupCollapsed(...args) { console.group(...args); },
  groupEnd() { consoleIndent = consoleIndent.slice(2); },
  clear() {},
  profile() {},
  profileEnd() {},
  timeStamp() {},
};
Object.defineProperty(console, Symbol.toStringTag, { value: 'console', configurable: true });
defineGlobal('console', console);
