// console: every method formats its arguments and sends one line to the host's log, tagged with the script name.

function inspect(value, depth, seen, nested) {
  switch (typeof value) {
    case 'string':
      return nested ? "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'" : value;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return value + 'n';
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name ? '[Function: ' + value.name + ']' : '[Function (anonymous)]';
  }
  if (value === null) {
    return 'null';
  }
  if (value instanceof Error) {
    return value.stack || (value.name + ': ' + value.message);
  }
  if (seen.includes(value)) {
    return '[Circular]';
  }
  if (value instanceof Date) {
    return isNaN(value) ? 'Invalid Date' : value.toISOString();
  }
  if (value instanceof RegExp) {
    return String(value);
  }
  if (typeof value.then === 'function' && value instanceof Promise) {
    return 'Promise { <pending> }';
  }
  const ctorName = (value.constructor && value.constructor.name) || '';
  if (depth > 2) {
    return Array.isArray(value) ? '[Array]' : '[' + (ctorName || 'Object') + ']';
  }
  seen.push(value);
  try {
    const inner = (v) => inspect(v, depth + 1, seen, true);
    if (Array.isArray(value)) {
      const items = value.slice(0, 100).map(inner);
      if (value.length > 100) {
        items.push('... ' + (value.length - 100) + ' more items');
      }
      return items.length ? '[ ' + items.join(', ') + ' ]' : '[]';
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const items = Array.prototype.slice.call(value, 0, 100).map(String);
      if (value.length > 100) {
        items.push('... ' + (value.length - 100) + ' more items');
      }
      return ctorName + '(' + value.length + ') [ ' + items.join(', ') + ' ]';
    }
    if (value instanceof ArrayBuffer) {
      return 'ArrayBuffer { byteLength: ' + value.byteLength + ' }';
    }
    if (value instanceof Map) {
      const items = [];
      for (const [k, v] of value) {
        items.push(inner(k) + ' => ' + inner(v));
      }
      return 'Map(' + value.size + ') {' + (items.length ? ' ' + items.join(', ') + ' ' : '') + '}';
    }
    if (value instanceof Set) {
      const items = [];
      for (const v of value) {
        items.push(inner(v));
      }
      return 'Set(' + value.size + ') {' + (items.length ? ' ' + items.join(', ') + ' ' : '') + '}';
    }
    const keys = Object.keys(value);
    const items = keys.slice(0, 100).map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : inner(k)) + ': ' + inner(value[k]));
    const prefix = ctorName && ctorName !== 'Object' ? ctorName + ' ' : '';
    return prefix + (items.length ? '{ ' + items.join(', ') + ' }' : '{}');
  } finally {
    seen.pop();
  }
}

// The WHATWG console "formatter": %s %d %i %f %o %O %c in a leading string, the rest joined by spaces.
function formatLogArgs(args) {
  let rest = args;
  let head = '';
  if (typeof args[0] === 'string' && args[0].includes('%')) {
    let i = 1;
    head = args[0].replace(/%([sdifoOc%])/g, (match, spec) => {
      if (spec === '%') {
        return '%';
      }
      if (i >= args.length) {
        return match;
      }
      const arg = args[i++];
      switch (spec) {
        case 's': return typeof arg === 'string' ? arg : inspect(arg, 1, [], false);
        case 'd':
        case 'i': return typeof arg === 'symbol' ? 'NaN' : String(parseInt(arg, 10));
        case 'f': return typeof arg === 'symbol' ? 'NaN' : String(parseFloat(arg));
        case 'c': return '';
        default: return inspect(arg, 0, [], true);
      }
    });
    rest = args.slice(i);
    return [head].concat(rest.map((a) => inspect(a, 0, [], false))).join(' ');
  }
  return args.map((a) => inspect(a, 0, [], false)).join(' ');
}

const consoleCounts = new Map();
const consoleTimers = new Map();
let consoleIndent = '';

function consoleEmit(level, args) {
  const text = formatLogArgs(args);
  host.log(level, consoleIndent ? consoleIndent + text.replace(/\n/g, '\n' + consoleIndent) : text);
}

const console = {
  log(...args) { consoleEmit('info', args); },
  info(...args) { consoleEmit('info', args); },
  debug(...args) { consoleEmit('debug', args); },
  warn(...args) { consoleEmit('warn', args); },
  error(...args) { consoleEmit('error', args); },
  trace(...args) {
    const stack = new Error().stack.split('\n').slice(2).join('\n');
    consoleEmit('info', ['Trace' + (args.length ? ': ' + formatLogArgs(args) : '') + '\n' + stack]);
  },
  dir(value) { consoleEmit('info', [inspect(value, 0, [], true)]); },
  table(...args) { consoleEmit('info', args); },
  assert(condition, ...args) {
    if (!condition) {
      consoleEmit('error', ['Assertion failed' + (args.length ? ': ' + formatLogArgs(args) : '')]);
    }
  },
  count(label = 'default') {
    const n = (consoleCounts.get(label) || 0) + 1;
    consoleCounts.set(label, n);
    consoleEmit('info', [label + ': ' + n]);
  },
  countReset(label = 'default') { consoleCounts.delete(label); },
  time(label = 'default') { consoleTimers.set(label, Date.now()); },
  timeLog(label = 'default', ...args) {
    const start = consoleTimers.get(label);
    if (start !== undefined) {
      consoleEmit('info', [label + ': ' + (Date.now() - start) + 'ms'].concat(args));
    }
  },
  timeEnd(label = 'default') {
    console.timeLog(label);
    consoleTimers.delete(label);
  },
  group(...args) {
    if (args.length) {
      consoleEmit('info', args);
    }
    consoleIndent += '  ';
  },
  groupCollapsed(...args) { console.group(...args); },
  groupEnd() { consoleIndent = consoleIndent.slice(2); },
};
defineGlobal('console', console);
