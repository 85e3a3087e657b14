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

// Host access to a Headers' internals; set in the class's static block.
let headersList;
let setHeadersGuard;

class Headers {
  // [lower-cased name, value] pairs in insertion order
  #list = [];
  // 'none', 'immutable' (incoming requests, fetch responses)
  #guard = 'none';

  static {
    headersList = (h) => h.#list;
    setHeadersGuard = (h, guard) => { h.#guard = guard; };
  }

  constructor(init = undefined) {
    if (init === undefined || init === null) {
      return;
    }
    if (typeof init !== 'object' && typeof init !== 'function') {
      throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    }
    if (init instanceof Headers) {
      for (const [name, value] of init.#list) {
        this.#list.push([name, value]);
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

  #checkMutable() {
    if (this.#guard === 'immutable') {
      throw new TypeError("Can't modify immutable headers.");
    }
  }

  append(name, value) {
    name = normalizeHeaderName(name);
    value = normalizeHeaderValue(value);
    this.#checkMutable();
    this.#list.push([name, value]);
  }

  delete(name) {
    name = normalizeHeaderName(name);
    this.#checkMutable();
    this.#list = this.#list.filter((h) => h[0] !== name);
  }

  get(name) {
    name = normalizeHeaderName(name);
    let result = null;
    for (const h of this.#list) {
      if (h[0] === name) {
        result = result === null ? h[1] : result + ', ' + h[1];
      }
    }
    return result;
  }

  getSetCookie() {
    return this.#list.filter((h) => h[0] === 'set-cookie').map((h) => h[1]);
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
    name = normalizeHeaderName(name);
    return this.#list.some((h) => h[0] === name);
  }

  set(name, value) {
    name = normalizeHeaderName(name);
    value = normalizeHeaderValue(value);
    this.#checkMutable();
    const i = this.#list.findIndex((h) => h[0] === name);
    if (i < 0) {
      this.#list.push([name, value]);
      return;
    }
    this.#list[i] = [name, value];
    this.#list = this.#list.filter((h, j) => j <= i || h[0] !== name);
  }

  // The spec's "sort and combine": names in order, values of a name joined, set-cookie values separately.
  #sorted() {
    const names = [...new Set(this.#list.map((h) => h[0]))].sort();
    const out = [];
    for (const name of names) {
      if (name === 'set-cookie') {
        for (const h of this.#list) {
          if (h[0] === name) {
            out.push([name, h[1]]);
          }
        }
      } else {
        out.push([name, this.get(name)]);
      }
    }
    return out;
  }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
    }
    for (const [name, value] of this.#sorted()) {
      callback.call(thisArg, value, name, this);
    }
  }

  *entries() {
    yield* this.#sorted();
  }

  *keys() {
    for (const [name] of this.#sorted()) {
      yield name;
    }
  }

  *values() {
    for (const [, value] of this.#sorted()) {
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
  const list = headersList(h);
  const n = head.headerCount();
  for (let i = 0; i < n; i++) {
    list.push([head.headerName(i).toLowerCase(), head.headerValue(i)]);
  }
  setHeadersGuard(h, 'immutable');
  return h;
}
