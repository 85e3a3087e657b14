// Web Crypto API (W3C Web Cryptography API): crypto, Crypto, SubtleCrypto and CryptoKey, as Cloudflare Workers has
// them. Algorithm normalization and the checks on keys, usages and formats are here; the primitives are the JDK's,
// behind host.crypto (io.isoworker.api.host.CryptoHost). Every operation runs synchronously and hands back a
// settled promise, as workerd does.

const cryptoHost = host.crypto;
const CRYPTO_MAX_RANDOM_BYTES = 65536;
const CRYPTO_INTEGER_ARRAYS = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array']);
// %TypedArray%.prototype[@@toStringTag]: a typed array's kind (undefined for anything else), however it was made.
const cryptoTypedArrayKind = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype),
  Symbol.toStringTag).get;

// ---- bytes across the boundary

// A host ByteBuffer as an ArrayBuffer the guest owns.
function cryptoArrayBuffer(byteBuffer) {
  return new Uint8Array(new Uint8Array(byteBuffer)).buffer;
}

// The ArrayBuffer to hand the host for a BufferSource (WebIDL conversion: anything else is a TypeError).
function cryptoBuffer(source, what) {
  if (source instanceof ArrayBuffer) {
    return source;
  }
  if (ArrayBuffer.isView(source)) {
    return exactBuffer(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  }
  throw new TypeError(what + ' must be an ArrayBuffer or ArrayBufferView');
}

// ---- errors

function cryptoDomError(message, name) {
  return new DOMException(message, name);
}

// A host CryptoException names the DOMException to raise; anything else passes through.
function cryptoError(e) {
  if (e !== null && typeof e === 'object' && !(e instanceof DOMException) && typeof e.errorName === 'function') {
    return new DOMException(e.errorMessage(), e.errorName());
  }
  return e;
}

// Runs a SubtleCrypto method (needing `required` arguments): its result or its failure as a promise.
function cryptoPromise(operation, required, method, self, args) {
  try {
    if (!isSubtleCrypto(self)) {
      throw new TypeError('Illegal invocation');
    }
    if (args.length < required) {
      throw new TypeError("Failed to execute '" + method + "' on 'SubtleCrypto': " + required +
        ' arguments required, but only ' + args.length + ' present.');
    }
    return Promise.resolve(operation.apply(undefined, args));
  } catch (e) {
    return Promise.reject(cryptoError(e));
  }
}

// ---- algorithm normalization (WebCrypto 18.4)

const CRYPTO_ALGORITHMS = ['AES-CBC', 'AES-CTR', 'AES-GCM', 'AES-KW', 'ECDH', 'ECDSA', 'Ed25519', 'HKDF', 'HMAC',
  'MD5', 'PBKDF2', 'RSA-OAEP', 'RSA-PSS', 'RSASSA-PKCS1-v1_5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'X25519',
  'NODE-ED25519'];
// The dictionary of an algorithm given as a bare name: it has no members.
const CRYPTO_NO_MEMBERS = Object.freeze({});
const CRYPTO_HASHES = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);
const CRYPTO_CURVES = new Set(['P-256', 'P-384', 'P-521']);

function cryptoNoParams() {
  return {};
}

// WebIDL [EnforceRange] integer conversion.
function cryptoInteger(value, what, max) {
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new TypeError(what + ' must be a finite number');
  }
  const i = Math.trunc(n);
  if (i < 0 || i > max) {
    throw new TypeError(what + ' is outside the accepted range');
  }
  return i;
}

function cryptoRequired(dict, member, what) {
  const value = dict[member];
  if (value === undefined) {
    throw new TypeError(what + ': the member ' + member + ' is required');
  }
  return value;
}

function cryptoHashParam(dict, what) {
  return cryptoHashName(cryptoRequired(dict, 'hash', what));
}

function cryptoHashName(hash) {
  const name = normalizeCryptoAlgorithm(hash, 'digest').name;
  if (!CRYPTO_HASHES.has(name)) {
    throw cryptoDomError('Unrecognized hash algorithm: ' + name, 'NotSupportedError');
  }
  return name;
}

function cryptoCurveParam(dict, what) {
  const curve = String(cryptoRequired(dict, 'namedCurve', what));
  if (!CRYPTO_CURVES.has(curve)) {
    throw cryptoDomError('Unrecognized namedCurve: ' + curve, 'NotSupportedError');
  }
  return curve;
}

function cryptoOptionalBuffer(dict, member, what) {
  const value = dict[member];
  return value === undefined ? null : cryptoBuffer(value, what + '.' + member);
}

const CRYPTO_AES = ['AES-CBC', 'AES-CTR', 'AES-GCM', 'AES-KW'];
const CRYPTO_RSA = ['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP'];
// Built on first use: most workers never call crypto.subtle.
let cryptoOperations;
let cryptoAlgorithmNames;

// For an operation, the algorithms it supports and their parameter conversion.
function cryptoOperationTable(operation) {
  if (cryptoOperations === undefined) {
    cryptoOperations = buildCryptoOperations();
  }
  return cryptoOperations[operation];
}

// The canonical spelling of an algorithm name, which matches case-insensitively (the canonical spelling itself is
// found without lower-casing).
function cryptoAlgorithmName(given) {
  if (cryptoAlgorithmNames === undefined) {
    cryptoAlgorithmNames = new Map(CRYPTO_ALGORITHMS.flatMap((name) => [[name, name], [name.toLowerCase(), name]]));
  }
  return cryptoAlgorithmNames.get(given) || cryptoAlgorithmNames.get(given.toLowerCase());
}

function buildCryptoOperations() {
  const params = {
    hmacKey: (d) => ({
      hash: cryptoHashParam(d, 'HmacKeyParams'),
      length: d.length === undefined ? undefined : cryptoInteger(d.length, 'HmacKeyParams.length', 0xffffffff),
    }),
    aesKeyGen: (d) => ({
      length: cryptoInteger(cryptoRequired(d, 'length', 'AesKeyGenParams'), 'AesKeyGenParams.length', 0xffff),
    }),
    ecKey: (d) => ({ namedCurve: cryptoCurveParam(d, 'EcKeyParams') }),
    // Workers' older name for Ed25519: { name: 'NODE-ED25519', namedCurve: 'NODE-ED25519' }.
    nodeEd25519: (d) => {
      const curve = String(cryptoRequired(d, 'namedCurve', 'NODE-ED25519'));
      if (curve !== 'NODE-ED25519') {
        throw cryptoDomError('Unrecognized namedCurve: ' + curve, 'NotSupportedError');
      }
      return { namedCurve: curve };
    },
    rsaKeyGen: (d) => ({
      modulusLength: cryptoInteger(cryptoRequired(d, 'modulusLength', 'RsaHashedKeyGenParams'),
        'RsaHashedKeyGenParams.modulusLength', 0xffffffff),
      publicExponent: new Uint8Array(cryptoBuffer(cryptoRequired(d, 'publicExponent', 'RsaHashedKeyGenParams'),
        'RsaHashedKeyGenParams.publicExponent')),
      hash: cryptoHashParam(d, 'RsaHashedKeyGenParams'),
    }),
    rsaImport: (d) => ({ hash: cryptoHashParam(d, 'RsaHashedImportParams') }),
    ecdsa: (d) => ({ hash: cryptoHashParam(d, 'EcdsaParams') }),
    pss: (d) => ({
      saltLength: cryptoInteger(cryptoRequired(d, 'saltLength', 'RsaPssParams'), 'RsaPssParams.saltLength', 0xffffffff),
    }),
    gcm: (d) => ({
      iv: cryptoBuffer(cryptoRequired(d, 'iv', 'AesGcmParams'), 'AesGcmParams.iv'),
      additionalData: cryptoOptionalBuffer(d, 'additionalData', 'AesGcmParams'),
      tagLength: d.tagLength === undefined ? 128 : cryptoInteger(d.tagLength, 'AesGcmParams.tagLength', 0xff),
    }),
    cbc: (d) => ({ iv: cryptoBuffer(cryptoRequired(d, 'iv', 'AesCbcParams'), 'AesCbcParams.iv') }),
    ctr: (d) => ({
      counter: cryptoBuffer(cryptoRequired(d, 'counter', 'AesCtrParams'), 'AesCtrParams.counter'),
      length: cryptoInteger(cryptoRequired(d, 'length', 'AesCtrParams'), 'AesCtrParams.length', 0xff),
    }),
    oaep: (d) => ({ label: cryptoOptionalBuffer(d, 'label', 'RsaOaepParams') }),
    ecdhDerive: (d) => {
      const publicKey = cryptoRequired(d, 'public', 'EcdhKeyDeriveParams');
      if (!isCryptoKey(publicKey)) {
        throw new TypeError('EcdhKeyDeriveParams.public must be a CryptoKey');
      }
      return { public: publicKey };
    },
    hkdf: (d) => ({
      hash: cryptoHashParam(d, 'HkdfParams'),
      salt: cryptoBuffer(cryptoRequired(d, 'salt', 'HkdfParams'), 'HkdfParams.salt'),
      info: cryptoBuffer(cryptoRequired(d, 'info', 'HkdfParams'), 'HkdfParams.info'),
    }),
    pbkdf2: (d) => ({
      hash: cryptoHashParam(d, 'Pbkdf2Params'),
      salt: cryptoBuffer(cryptoRequired(d, 'salt', 'Pbkdf2Params'), 'Pbkdf2Params.salt'),
      iterations: cryptoInteger(cryptoRequired(d, 'iterations', 'Pbkdf2Params'), 'Pbkdf2Params.iterations',
        0xffffffff),
    }),
    aesLength: (d) => ({
      length: cryptoInteger(cryptoRequired(d, 'length', 'AesDerivedKeyParams'), 'AesDerivedKeyParams.length', 0xffff),
    }),
  };

  const operations = {
    digest: new Map(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'MD5'].map((n) => [n, cryptoNoParams])),
    sign: new Map([['HMAC', cryptoNoParams], ['ECDSA', params.ecdsa], ['Ed25519', cryptoNoParams],
      ['NODE-ED25519', cryptoNoParams], ['RSASSA-PKCS1-v1_5', cryptoNoParams], ['RSA-PSS', params.pss]]),
    encrypt: new Map([['AES-GCM', params.gcm], ['AES-CBC', params.cbc], ['AES-CTR', params.ctr],
      ['RSA-OAEP', params.oaep]]),
    generateKey: new Map([['HMAC', params.hmacKey], ...CRYPTO_AES.map((n) => [n, params.aesKeyGen]),
      ['ECDSA', params.ecKey], ['ECDH', params.ecKey], ['Ed25519', cryptoNoParams],
      ['NODE-ED25519', params.nodeEd25519], ['X25519', cryptoNoParams],
      ...CRYPTO_RSA.map((n) => [n, params.rsaKeyGen])]),
    importKey: new Map([['HMAC', params.hmacKey], ...CRYPTO_AES.map((n) => [n, cryptoNoParams]),
      ['ECDSA', params.ecKey], ['ECDH', params.ecKey], ['Ed25519', cryptoNoParams],
      ['NODE-ED25519', params.nodeEd25519], ['X25519', cryptoNoParams],
      ...CRYPTO_RSA.map((n) => [n, params.rsaImport]),
      ['PBKDF2', cryptoNoParams], ['HKDF', cryptoNoParams]]),
    deriveBits: new Map([['ECDH', params.ecdhDerive], ['X25519', params.ecdhDerive],
      ['HKDF', params.hkdf], ['PBKDF2', params.pbkdf2]]),
    wrapKey: new Map([['AES-KW', cryptoNoParams]]),
    getKeyLength: new Map([...CRYPTO_AES.map((n) => [n, params.aesLength]),
      ['HMAC', params.hmacKey], ['HKDF', cryptoNoParams], ['PBKDF2', cryptoNoParams]]),
  };
  operations.verify = operations.sign;
  operations.decrypt = operations.encrypt;
  operations.unwrapKey = operations.wrapKey;
  return operations;
}

function normalizeCryptoAlgorithm(algorithm, operation) {
  let given;
  let dict;
  if (typeof algorithm !== 'object' || algorithm === null) {
    given = String(algorithm);
    dict = CRYPTO_NO_MEMBERS;
  } else {
    if (algorithm.name === undefined) {
      throw new TypeError('Algorithm: name: Missing or not a string');
    }
    given = String(algorithm.name);
    dict = algorithm;
  }
  const name = cryptoAlgorithmName(given);
  const convert = name === undefined ? undefined : cryptoOperationTable(operation).get(name);
  if (convert === undefined) {
    throw cryptoDomError('Unrecognized or unimplemented algorithm: ' + given, 'NotSupportedError');
  }
  const normalized = convert(dict);
  normalized.name = name;
  return normalized;
}

// ---- key usages

const CRYPTO_USAGE_ORDER = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey',
  'unwrapKey'];
const CRYPTO_SIGNING_USAGES = { public: ['verify'], private: ['sign'] };
const CRYPTO_AGREEMENT_USAGES = { public: [], private: ['deriveKey', 'deriveBits'] };
const CRYPTO_CIPHER_USAGES = { secret: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] };
// The usages each key type of each algorithm may have.
const CRYPTO_KEY_USAGES = {
  HMAC: { secret: ['sign', 'verify'] },
  'AES-CBC': CRYPTO_CIPHER_USAGES, 'AES-CTR': CRYPTO_CIPHER_USAGES, 'AES-GCM': CRYPTO_CIPHER_USAGES,
  'AES-KW': { secret: ['wrapKey', 'unwrapKey'] },
  ECDSA: CRYPTO_SIGNING_USAGES, Ed25519: CRYPTO_SIGNING_USAGES, 'NODE-ED25519': CRYPTO_SIGNING_USAGES,
  'RSASSA-PKCS1-v1_5': CRYPTO_SIGNING_USAGES, 'RSA-PSS': CRYPTO_SIGNING_USAGES,
  'RSA-OAEP': { public: ['encrypt', 'wrapKey'], private: ['decrypt', 'unwrapKey'] },
  ECDH: CRYPTO_AGREEMENT_USAGES, X25519: CRYPTO_AGREEMENT_USAGES,
  PBKDF2: { secret: ['deriveKey', 'deriveBits'] }, HKDF: { secret: ['deriveKey', 'deriveBits'] },
};
// The JDK key kind behind each asymmetric algorithm.
const CRYPTO_KEY_KIND = { ECDSA: 'EC', ECDH: 'EC', Ed25519: 'Ed25519', 'NODE-ED25519': 'Ed25519',
  X25519: 'X25519', 'RSASSA-PKCS1-v1_5': 'RSA', 'RSA-PSS': 'RSA', 'RSA-OAEP': 'RSA' };

// sequence<KeyUsage>: deduplicated, in the canonical order.
function normalizeCryptoUsages(usages) {
  if (typeof usages !== 'object' || usages === null || typeof usages[Symbol.iterator] !== 'function') {
    throw new TypeError('keyUsages must be a sequence of KeyUsage');
  }
  const seen = new Set();
  for (const usage of usages) {
    const value = String(usage);
    if (!CRYPTO_USAGE_ORDER.includes(value)) {
      throw new TypeError("'" + value + "' is not a valid KeyUsage");
    }
    seen.add(value);
  }
  return CRYPTO_USAGE_ORDER.filter((u) => seen.has(u));
}

function checkCryptoUsages(algorithmName, type, usages) {
  const allowed = CRYPTO_KEY_USAGES[algorithmName][type];
  for (const usage of usages) {
    if (!allowed.includes(usage)) {
      throw cryptoDomError('Unsupported key usage for a ' + algorithmName + ' ' + type + ' key: ' + usage,
        'SyntaxError');
    }
  }
}

// ---- CryptoKey

let cryptoKeyRecord;
let isCryptoKey;

class CryptoKey {
  #record; // { type, extractable, algorithm (internal form), usages, handle }
  #algorithm;
  #usages;

  static {
    isCryptoKey = (value) => typeof value === 'object' && value !== null && #record in value;
    cryptoKeyRecord = (key, what) => {
      if (!isCryptoKey(key)) {
        throw new TypeError(what + ' must be a CryptoKey');
      }
      return key.#record;
    };
  }

  constructor(token, record) {
    if (token !== INTERNAL) {
      illegalConstructor();
    }
    this.#record = record;
  }

  get type() { return this.#record.type; }

  get extractable() { return this.#record.extractable; }

  get algorithm() {
    if (this.#algorithm === undefined) {
      this.#algorithm = cryptoKeyAlgorithmView(this.#record.algorithm);
    }
    return this.#algorithm;
  }

  get usages() {
    if (this.#usages === undefined) {
      this.#usages = this.#record.usages.slice();
    }
    return this.#usages;
  }
}
Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });

// The KeyAlgorithm dictionary a guest sees: hash as {name}, publicExponent as a fresh Uint8Array.
function cryptoKeyAlgorithmView(algorithm) {
  const view = { name: algorithm.name };
  for (const member of ['namedCurve', 'length', 'modulusLength']) {
    if (algorithm[member] !== undefined) {
      view[member] = algorithm[member];
    }
  }
  if (algorithm.publicExponent !== undefined) {
    view.publicExponent = algorithm.publicExponent.slice();
  }
  if (algorithm.hash !== undefined) {
    view.hash = { name: algorithm.hash };
  }
  return view;
}

function newCryptoKey(type, extractable, algorithm, usages, handle) {
  return new CryptoKey(INTERNAL, { type, extractable, algorithm, usages, handle });
}

// The key of an operation: the algorithm must be the key's and the key must allow the usage.
function cryptoKeyFor(key, algorithmName, usage) {
  const record = cryptoKeyRecord(key, 'key');
  if (record.algorithm.name !== algorithmName) {
    throw cryptoDomError('The key is a ' + record.algorithm.name + ' key, not ' + algorithmName, 'InvalidAccessError');
  }
  if (!record.usages.includes(usage)) {
    throw cryptoDomError("The key does not allow the usage '" + usage + "'", 'InvalidAccessError');
  }
  return record;
}

// ---- Crypto and the crypto global

class Crypto {
  #subtle;

  constructor(token) {
    if (token !== INTERNAL) {
      illegalConstructor();
    }
    this.#subtle = new SubtleCrypto(INTERNAL);
  }

  get subtle() { return this.#subtle; }

  getRandomValues(array) {
    if (!ArrayBuffer.isView(array)) {
      throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type " +
        "'ArrayBufferView'.");
    }
    if (!CRYPTO_INTEGER_ARRAYS.has(cryptoTypedArrayKind.call(array))) {
      throw cryptoDomError('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
    }
    const length = array.byteLength;
    if (length > CRYPTO_MAX_RANDOM_BYTES) {
      throw cryptoDomError('getRandomValues() only accepts buffers of size <= 64K but provided ' + length +
        ' bytes.', 'QuotaExceededError');
    }
    if (length > 0) {
      new Uint8Array(array.buffer, array.byteOffset, length).set(new Uint8Array(cryptoHost.randomBytes(length)));
    }
    return array;
  }

  randomUUID() {
    return cryptoHost.randomUUID();
  }
}
Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: 'Crypto', configurable: true });
