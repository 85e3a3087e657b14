// The KV binding: env.MY_KV for a kv_namespace binding. Behaviour, limits and messages follow
// shared/conformance/kv/README.md. Checks that Workers makes in the binding itself (key names, value and result types)
// are made here with its TypeErrors; the storage checks (sizes, expirations, limits) are KvStore's, and their
// answers become `KV <OP> failed: <status> <message>` errors, as the binding words a storage service's refusal.

const kvHost = host.kv();
const KV_RESPONSE_TYPES = ['text', 'arrayBuffer', 'json', 'stream'];
const KV_UNKNOWN_TYPE = 'Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".';
const KV_BAD_VALUE = 'KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.';
const KV_MAX_VALUE_BYTES = 25 * 1024 * 1024;

// WebIDL DOMString: anything but a Symbol becomes a string.
function kvString(value) {
  if (typeof value === 'symbol') {
    throw new TypeError('Cannot convert a Symbol value to a string');
  }
  return String(value);
}

// WebIDL long, as workerd converts the numeric options: NaN and non-numbers become 0.
function kvInteger(value) {
  return Number(value) | 0;
}

function kvCheckKey(key) {
  if (key === '') {
    throw new TypeError('Key name cannot be empty.');
  }
  if (key === '.') {
    throw new TypeError('"." is not allowed as a key name.');
  }
  if (key === '..') {
    throw new TypeError('".." is not allowed as a key name.');
  }
}

// Workers allows 1000 KV operations per invocation (a bulk get counts as one).
const KV_OPERATIONS_PER_INVOCATION = 1000;

function kvFailure(op, status, message) {
  return new Error('KV ' + op + ' failed: ' + status + ' ' + message);
}

// Runs one host operation as a promise. The host answers (status, message, ...results) on the isolate's thread, during
// the call itself when the read cache has the answer. The answer is turned into the promise's value by `settle`.
function kvCall(op, start, settle) {
  const invocation = currentInvocation;
  if (++invocation.kvOperations > KV_OPERATIONS_PER_INVOCATION) {
    return Promise.reject(new Error('Too many API requests by single worker invocation.'));
  }
  return new Promise((resolve, reject) => {
    start((status, message, a, b, c) => {
      currentInvocation = invocation;
      if (status !== 0) {
        reject(kvFailure(op, status, message));
        return;
      }
      try {
        resolve(settle(a, b, c));
      } catch (e) {
        reject(e);
      }
    });
  });
}

// get(key, 'type') or get(key, {type, cacheTtl}).
function kvReadOptions(typeOrOptions) {
  let type = 'text';
  let cacheTtl;
  if (typeof typeOrOptions === 'string') {
    type = typeOrOptions;
  } else if (typeOrOptions !== undefined && typeOrOptions !== null) {
    if (typeof typeOrOptions !== 'object' && typeof typeOrOptions !== 'function') {
      throw new TypeError('The second argument must be a type string or an options object.');
    }
    if (typeOrOptions.type !== undefined) {
      type = kvString(typeOrOptions.type);
    }
    if (typeOrOptions.cacheTtl !== undefined) {
      cacheTtl = kvInteger(typeOrOptions.cacheTtl);
    }
  }
  return { type, cacheTtl };
}

function kvValue(type, value) {
  if (value === null) {
    return null;
  }
  switch (type) {
    case 'text':
      return value;
    case 'json':
      return JSON.parse(value);
    case 'arrayBuffer':
      return exactBuffer(hostBufferBytes(value));
    default:
      return streamOfBytes(hostBufferBytes(value));
  }
}

function kvMetadata(json) {
  return json === null ? null : JSON.parse(json);
}

// The bytes of a put() value, or a promise of them for a stream. A stream over the limit is read to its end (so its
// length can be reported) without keeping what is past the limit.
function kvValueBytes(value) {
  if (typeof value === 'string') {
    return utf8Encode(value);
  }
  if (isReadableStream(value)) {
    return kvReadStream(value);
  }
  const bytes = bufferSourceBytes(value);
  if (bytes === null) {
    throw new TypeError(KV_BAD_VALUE);
  }
  return bytes;
}

async function kvReadStream(stream) {
  const reader = stream.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    const bytes = bufferSourceBytes(value);
    if (bytes === null) {
      reader.releaseLock();
      throw new TypeError('This ReadableStream did not return bytes.');
    }
    length += bytes.length;
    if (length <= KV_MAX_VALUE_BYTES) {
      chunks.push(bytes.slice());
    }
  }
  if (length > KV_MAX_VALUE_BYTES) {
    throw kvFailure('PUT', 413, 'Value length of ' + length + ' exceeds limit of ' + KV_MAX_VALUE_BYTES + '.');
  }
  return concatBytes(chunks, length);
}

const KV_NAMESPACE = internalSlot('KVNamespace');

// The namespace id of a binding. (A worker that rewrites it gains nothing: the host serves only the namespaces the
// worker is bound to.)
function kvNamespaceId(ns) {
  return internalState(ns, KV_NAMESPACE, 'KVNamespace').id;
}

function kvRead(id, key, typeOrOptions, withMetadata) {
  requireHandlerScope(); // thrown, not a rejection, as fetch() does
  try {
    const { type, cacheTtl } = kvReadOptions(typeOrOptions);
    if (Array.isArray(key)) {
      return kvReadBulk(id, key, type, cacheTtl, withMetadata);
    }
    const name = kvString(key);
    kvCheckKey(name);
    if (!KV_RESPONSE_TYPES.includes(type)) {
      throw new TypeError(KV_UNKNOWN_TYPE);
    }
    if (cacheTtl !== undefined) {
      const problem = kvHost.cacheTtlProblem(cacheTtl);
      if (problem !== null) {
        return Promise.reject(kvFailure('GET', 400, problem));
      }
    }
    const asText = type === 'text' || type === 'json';
    return kvCall('GET', (answer) => kvHost.get(id, name, asText, answer), (value, metadata) => {
      const result = kvValue(type, value);
      return withMetadata ? { value: result, metadata: kvMetadata(metadata), cacheStatus: null } : result;
    });
  } catch (e) {
    return Promise.reject(e);
  }
}

function kvReadBulk(id, keys, type, cacheTtl, withMetadata) {
  const names = keys.map(kvString);
  if (names.length > 100) {
    return Promise.reject(kvFailure('GET_BULK', 400, 'You can request a maximum of 100 keys'));
  }
  if (names.length === 0) {
    return Promise.reject(kvFailure('GET_BULK', 400, 'You must request a minimum of 1 key'));
  }
  if (type !== 'text' && type !== 'json') {
    return Promise.reject(kvFailure('GET_BULK', 400, '"' + type + '" is not a valid type. Use "json" or "text"'));
  }
  if (cacheTtl !== undefined) {
    const problem = kvHost.cacheTtlProblem(cacheTtl);
    if (problem !== null) {
      return Promise.reject(kvFailure('GET_BULK', 400, problem));
    }
  }
  return kvCall('GET_BULK', (answer) => kvHost.getBulk(id, names, answer), (json) => {
    const found = JSON.parse(json);
    const out = new Map();
    for (let i = 0; i < names.length; i++) {
      const entry = found[i];
      let value = null;
      if (entry !== null) {
        value = entry[0];
        if (type === 'json') {
          try {
            value = JSON.parse(value);
          } catch (e) {
            throw kvFailure('GET_BULK', 400, 'At least one of the requested keys corresponds to a non-json value');
          }
        }
      }
      if (withMetadata) {
        out.set(names[i], entry === null ? null : { value, metadata: kvMetadata(entry[1]) });
      } else {
        out.set(names[i], value);
      }
    }
    return out;
  });
}

class KvNamespace {
  constructor(token, id) {
    if (token !== INTERNAL) {
      throw new TypeError('Illegal constructor');
    }
    this[KV_NAMESPACE] = { id };
  }

  get(key, typeOrOptions) {
    return kvRead(kvNamespaceId(this), key, typeOrOptions, false);
  }

  getWithMetadata(key, typeOrOptions) {
    return kvRead(kvNamespaceId(this), key, typeOrOptions, true);
  }

  put(key, value, options) {
    requireHandlerScope(); // thrown, not a rejection, as fetch() does
    try {
      const name = kvString(key);
      kvCheckKey(name);
      let metadata = null;
      let expiration = null;
      let expirationTtl = null;
      if (options !== undefined && options !== null) {
        if (options.metadata !== undefined && options.metadata !== null) {
          metadata = JSON.stringify(options.metadata);
          if (metadata === undefined) {
            metadata = null;
          }
        }
        if (options.expiration !== undefined) {
          expiration = kvInteger(options.expiration);
        }
        if (options.expirationTtl !== undefined) {
          expirationTtl = kvInteger(options.expirationTtl);
        }
      }
      const bytes = kvValueBytes(value);
      const id = kvNamespaceId(this);
      const write = (u8) => kvCall('PUT', (answer) => kvHost.put(id, name, exactBuffer(u8), metadata, expiration,
        expirationTtl, answer), () => undefined);
      return bytes instanceof Promise ? bytes.then(write) : write(bytes);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  delete(key) {
    requireHandlerScope(); // thrown, not a rejection, as fetch() does
    try {
      const name = kvString(key);
      kvCheckKey(name);
      const id = kvNamespaceId(this);
      return kvCall('DELETE', (answer) => kvHost.delete(id, name, answer), () => undefined);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  list(options) {
    requireHandlerScope(); // thrown, not a rejection, as fetch() does
    try {
      let prefix = null;
      let cursor = null;
      let limit = 1000;
      if (options !== undefined && options !== null) {
        if (options.prefix !== undefined && options.prefix !== null) {
          prefix = kvString(options.prefix);
        }
        if (options.cursor !== undefined && options.cursor !== null) {
          cursor = kvString(options.cursor);
        }
        if (options.limit !== undefined) {
          const n = kvInteger(options.limit);
          if (n > 0) {
            limit = n;
          }
        }
      }
      const id = kvNamespaceId(this);
      return kvCall('GET', (answer) => kvHost.list(id, prefix, limit, cursor, answer), (json, complete, next) => {
        const keys = [];
        for (const [name, expiration, metadata] of JSON.parse(json)) {
          const key = { name };
          if (expiration !== 0) {
            key.expiration = expiration;
          }
          if (metadata !== null) {
            key.metadata = JSON.parse(metadata);
          }
          keys.push(key);
        }
        const result = { keys, list_complete: complete };
        if (!complete) {
          result.cursor = next;
        }
        result.cacheStatus = null;
        return result;
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

Object.defineProperty(KvNamespace.prototype, Symbol.toStringTag, { value: 'KvNamespace', configurable: true });

// A binding's value for dispatch.js.
function kvNamespaceBinding(id) {
  return new KvNamespace(INTERNAL, id);
}
