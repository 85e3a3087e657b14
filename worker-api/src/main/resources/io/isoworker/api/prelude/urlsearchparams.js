// URLSearchParams (URL Standard) and the application/x-www-form-urlencoded parser and serializer.

function formUrlencodedDecode(s) {
  if (s.indexOf('+') >= 0) {
    s = s.replace(/\+/g, ' ');
  }
  return s.indexOf('%') < 0 ? s : urlPercentDecode(s);
}

// application/x-www-form-urlencoded parser: a list of [name, value] pairs. `input` is a USVString.
function formUrlencodedParse(input) {
  const list = [];
  const n = input.length;
  let start = 0;
  while (start < n) {
    let end = input.indexOf('&', start);
    if (end < 0) {
      end = n;
    }
    if (end > start) {
      const eq = input.indexOf('=', start);
      if (eq >= 0 && eq < end) {
        list.push([formUrlencodedDecode(input.slice(start, eq)), formUrlencodedDecode(input.slice(eq + 1, end))]);
      } else {
        list.push([formUrlencodedDecode(input.slice(start, end)), '']);
      }
    }
    start = end + 1;
  }
  return list;
}

function formUrlencodedSerialize(list) {
  let out = '';
  for (let i = 0; i < list.length; i++) {
    if (i > 0) {
      out += '&';
    }
    out += urlPercentEncode(list[i][0], URL_FORM_SET, true) + '=' + urlPercentEncode(list[i][1], URL_FORM_SET, true);
  }
  return out;
}

function urlSearchParamsArity(method, required, given) {
  if (given < required) {
    throw new TypeError("Failed to execute '" + method + "' on 'URLSearchParams': " + required + ' argument'
      + (required === 1 ? '' : 's') + ' required, but only ' + given + ' present.');
  }
}

const URL_SEARCH_PARAMS = internalSlot('URLSearchParams');

function urlSearchParamsState(p) {
  return internalState(p, URL_SEARCH_PARAMS, 'URLSearchParams');
}

// The URL's access to its searchParams object.
function urlSearchParamsOf(record) {
  const params = new URLSearchParams();
  const state = params[URL_SEARCH_PARAMS];
  state.url = record;
  state.list = record.query === null ? [] : formUrlencodedParse(record.query);
  return params;
}

function urlSearchParamsReparse(params) {
  const state = urlSearchParamsState(params);
  const query = state.url.query;
  state.list = query === null ? [] : formUrlencodedParse(query);
}

function urlSearchParamsList(params) {
  return urlSearchParamsState(params).list;
}

// After the list changed: the URL this object is the query of (if any) gets the new query.
function urlSearchParamsUpdate(params) {
  const state = urlSearchParamsState(params);
  if (state.url !== null) {
    const query = formUrlencodedSerialize(state.list);
    state.url.query = query === '' ? null : query;
  }
}

class URLSearchParams {
  constructor(init = '') {
    // list: [name, value] pairs; url: the URL record this object is the query of, or null
    const state = { list: [], url: null };
    this[URL_SEARCH_PARAMS] = state;
    if (init !== null && (typeof init === 'object' || typeof init === 'function')) {
      const iteratorMethod = init[Symbol.iterator];
      if (iteratorMethod !== undefined && iteratorMethod !== null) {
        if (typeof iteratorMethod !== 'function') {
          throw new TypeError("Failed to construct 'URLSearchParams': The object's @@iterator is not callable.");
        }
        for (const pair of { [Symbol.iterator]: () => iteratorMethod.call(init) }) {
          if (pair === null || (typeof pair !== 'object' && typeof pair !== 'function')
              || typeof pair[Symbol.iterator] !== 'function') {
            throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
          }
          const items = Array.from(pair);
          if (items.length !== 2) {
            throw new TypeError("Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements");
          }
          state.list.push([urlToUSVString(items[0]), urlToUSVString(items[1])]);
        }
      } else {
        const record = new Map();
        for (const key of Reflect.ownKeys(init)) {
          const desc = Reflect.getOwnPropertyDescriptor(init, key);
          if (desc !== undefined && desc.enumerable) {
            record.set(urlToUSVString(key), urlToUSVString(init[key]));
          }
        }
        for (const entry of record) {
          state.list.push(entry);
        }
      }
      return;
    }
    init = urlToUSVString(init);
    state.list = formUrlencodedParse(init.charCodeAt(0) === 0x3f ? init.slice(1) : init);
  }

  get size() {
    return urlSearchParamsState(this).list.length;
  }

  append(name, value) {
    urlSearchParamsArity('append', 2, arguments.length);
    urlSearchParamsState(this).list.push([urlToUSVString(name), urlToUSVString(value)]);
    urlSearchParamsUpdate(this);
  }

  delete(name, value = undefined) {
    urlSearchParamsArity('delete', 1, arguments.length);
    name = urlToUSVString(name);
    if (value === undefined) {
      urlSearchParamsState(this).list = urlSearchParamsState(this).list.filter((p) => p[0] !== name);
    } else {
      value = urlToUSVString(value);
      urlSearchParamsState(this).list = urlSearchParamsState(this).list.filter((p) => p[0] !== name || p[1] !== value);
    }
    urlSearchParamsUpdate(this);
  }

  get(name) {
    urlSearchParamsArity('get', 1, arguments.length);
    name = urlToUSVString(name);
    const list = urlSearchParamsState(this).list;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name) {
        return list[i][1];
      }
    }
    return null;
  }

  getAll(name) {
    urlSearchParamsArity('getAll', 1, arguments.length);
    name = urlToUSVString(name);
    const values = [];
    for (const p of urlSearchParamsState(this).list) {
      if (p[0] === name) {
        values.push(p[1]);
      }
    }
    return values;
  }

  has(name, value = undefined) {
    urlSearchParamsArity('has', 1, arguments.length);
    name = urlToUSVString(name);
    if (value === undefined) {
      return urlSearchParamsState(this).list.some((p) => p[0] === name);
    }
    value = urlToUSVString(value);
    return urlSearchParamsState(this).list.some((p) => p[0] === name && p[1] === value);
  }

  set(name, value) {
    urlSearchParamsArity('set', 2, arguments.length);
    name = urlToUSVString(name);
    value = urlToUSVString(value);
    const list = urlSearchParamsState(this).list;
    const i = list.findIndex((p) => p[0] === name);
    if (i < 0) {
      list.push([name, value]);
    } else {
      list[i] = [name, value];
      urlSearchParamsState(this).list = list.filter((p, j) => j <= i || p[0] !== name);
    }
    urlSearchParamsUpdate(this);
  }

  sort() {
    // Array.prototype.sort is stable; names compare by UTF-16 code units.
    urlSearchParamsState(this).list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    urlSearchParamsUpdate(this);
  }

  toString() {
    return formUrlencodedSerialize(urlSearchParamsState(this).list);
  }

  forEach(callback, thisArg = undefined) {
    urlSearchParamsArity('forEach', 1, arguments.length);
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'.");
    }
    // Live: entries added or removed by the callback are seen.
    for (let i = 0; i < urlSearchParamsState(this).list.length; i++) {
      const p = urlSearchParamsState(this).list[i];
      callback.call(thisArg, p[1], p[0], this);
    }
  }

  entries() {
    return new URLSearchParamsIterator(INTERNAL, this, 'entries');
  }

  keys() {
    return new URLSearchParamsIterator(INTERNAL, this, 'keys');
  }

  values() {
    return new URLSearchParamsIterator(INTERNAL, this, 'values');
  }
}
urlDefineInterface(URLSearchParams, 'URLSearchParams');
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, configurable: true, enumerable: false,
});
defineGlobal('URLSearchParams', URLSearchParams);

// The iterator Web IDL defines for URLSearchParams: it walks the live list by index.
const URL_SEARCH_PARAMS_ITERATOR = internalSlot('URLSearchParamsIterator');

class URLSearchParamsIterator {
  constructor(key, params, kind) {
    if (key !== INTERNAL) {
      illegalConstructor();
    }
    this[URL_SEARCH_PARAMS_ITERATOR] = { params, kind, index: 0 };
  }

  next() {
    const state = internalState(this, URL_SEARCH_PARAMS_ITERATOR, 'URLSearchParams Iterator');
    const list = urlSearchParamsList(state.params);
    if (state.index >= list.length) {
      return { value: undefined, done: true };
    }
    const p = list[state.index++];
    const value = state.kind === 'keys' ? p[0] : state.kind === 'values' ? p[1] : [p[0], p[1]];
    return { value, done: false };
  }
}
Object.setPrototypeOf(URLSearchParamsIterator.prototype, Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
Object.defineProperty(URLSearchParamsIterator.prototype, Symbol.toStringTag, { value: 'URLSearchParams Iterator', configurable: true });
Object.defineProperty(URLSearchParamsIterator.prototype, 'next', { enumerable: true });
