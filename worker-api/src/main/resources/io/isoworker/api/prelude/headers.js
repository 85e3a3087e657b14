// Headers (Fetch Standard): lower-cased names, combined values, sorted iteration, set-cookie kept apart.

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function normalizeHeaderName(name) {
  name = String(name);
  if (!HTTP_TOKEN.test(name)) {
    throw new TypeError('Invalid header name: "' + name + '"');
  }
  return name.toLowerCase();
}

function normalizeHeaderValue(value) {
  value = String(value).replace(HTTP_WHITESPACE, '');
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 10 || c === 13 || c > 0xff) {
      throw new TypeError('Invalid header value: "' + value + '"');
    }
  }
  return value;
}

const HEADERS = internalSlot('Headers');

function headersState(h) {
  return internalState(h, HEADERS, 'Headers');
}

// The host's and the other prelude files' access to a Headers' internals.
function headersList(h) {
  return headersState(h).list;
}

function setHeadersGuard(h, guard) {
  headersState(h).guard = guard;
}

function checkHeadersMutable(state) {
  if (state.guard === 'immutable') {
    throw new TypeError("Can't modify immutable headers.");
  }
}

// The spec's "sort and combine": names in order, values of a name joined, set-cookie values separately.
function sortedHeaders(headers) {
  const list = headersState(headers).list;
  const names = [...new Set(list.map((h) => h[0]))].sort();
  const out = [];
  for (const name of names) {
    if (name === 'set-cookie') {
      for (const h of list) {
        if (h[0] === name) {
          out.push([name, h[1]]);
        }
      }
    } else {
      out.push([name, headers.get(name)]);
    }
  }
  return out;
}

class Headers {
  constructor(init = undefined) {
    // list: [lower-cased name, value] pairs in insertion order; guard: 'none' or 'immutable' (incoming requests,
    // fetch responses)
    const state = { list: [], guard: 'none' };
    this[HEADERS] = state;
    if (init === undefined || init === null) {
      return;
    }
    if (typeof init !== 'object' && typeof init !== 'function') {
      throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    }
    if (init instanceof Headers) {
      for (const [name, value] of headersList(init)) {
        state.list.push([name, value]);
      }
    } else if (typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        if (typeof pair !== 'object' || pair === null || typeof pair[Symbol.iterator] !== 'function') {
          throw new TypeError("Failed to construct 'Headers': The provided value cannot be converted to a sequence.");
        }
        const items = Array.from(pair);
        if (items.length !== 2) {
          throw new TypeError("Failed to construct 'Headers': Invalid value");
        }
        this.append(items[0], items[1]);
      }
    } else {
      for (const key of Reflect.ownKeys(init)) {
        const desc = Reflect.getOwnPropertyDescriptor(init, key);
        if (desc !== undefined && desc.enumerable) {
          if (typeof key === 'symbol') {
            throw new TypeError("Failed to construct 'Headers': Invalid header name");
          }
          this.append(key, init[key]);
        }
      }
    }
  }

  append(name, value) {
    const state = headersState(this);
    name = normalizeHeaderName(name);
    value = normalizeHeaderValue(value);
    checkHeadersMutable(state);
    state.list.push([name, value]);
  }

  delete(name) {
    const state = headersState(this);
    name = normalizeHeaderName(name);
    checkHeadersMutable(state);
    state.list = state.list.filter((h) => h[0] !== name);
  }

  get(name) {
    const state = headersState(this);
    name = normalizeHeaderName(name);
    let result = null;
    for (const h of state.list) {
      if (h[0] === name) {
        result = result === null ? h[1] : result + ', ' + h[1];
      }
    }
    return result;
  }

  getSetCookie() {
    const state = headersState(this);
    return state.list.filter((h) => h[0] === 'set-cookie').map((h) => h[1]);
  }

  // Workers' non-standard getAll, for set-cookie only.
  getAll(name) {
    name = normalizeHeaderName(name);
    if (name !== 'set-cookie') {
      throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
    }
    return this.getSetCookie();
  }

  has(name) {
    const state = headersState(this);
    name = normalizeHeaderName(name);
    return state.list.some((h) => h[0] === name);
  }

  set(name, value) {
    const state = headersState(this);
    name = normalizeHeaderName(name);
    value = normalizeHeaderValue(value);
    checkHeadersMutable(state);
    const i = state.list.findIndex((h) => h[0] === name);
    if (i < 0) {
      state.list.push([name, value]);
      return;
    }
    state.list[i] = [name, value];
    state.list = state.list.filter((h, j) => j <= i || h[0] !== name);
  }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
    }
    for (const [name, value] of sortedHeaders(this)) {
      callback.call(thisArg, value, name, this);
    }
  }

  *entries() {
    yield* sortedHeaders(this);
  }

  *keys() {
    for (const [name] of sortedHeaders(this)) {
      yield name;
    }
  }

  *values() {
    for (const [, value] of sortedHeaders(this)) {
      yield value;
    }
  }

  [Symbol.iterator]() {
    return this.entries();
  }

  get [Symbol.toStringTag]() {
    return 'Headers';
  }
}
defineGlobal('Headers', Headers);

// Headers of an incoming request, filled from the host without re-validation, then made immutable.
function headersFromHost(head) {
  const h = new Headers();
  const list = h[HEADERS].list;
  const n = head.headerCount();
  for (let i = 0; i < n; i++) {
    list.push([head.headerName(i).toLowerCase(), head.headerValue(i)]);
  }
  setHeadersGuard(h, 'immutable');
  return h;
}
