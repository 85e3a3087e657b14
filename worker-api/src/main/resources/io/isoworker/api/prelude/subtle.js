// SubtleCrypto (W3C Web Cryptography API) and the crypto global. crypto.js has the algorithm normalization, the
// usage rules and CryptoKey; the primitives are host.crypto's.

const CRYPTO_FORMATS = ['raw', 'spki', 'pkcs8', 'jwk'];
// Workers' limit; it also bounds the time one call holds the event loop.
const CRYPTO_MAX_PBKDF2_ITERATIONS = 100000;

function cryptoFormat(format) {
  const value = String(format);
  if (!CRYPTO_FORMATS.includes(value)) {
    throw new TypeError("'" + value + "' is not a valid KeyFormat");
  }
  return value;
}

// ---- digest, sign, verify

function subtleDigest(algorithm, data) {
  const alg = normalizeCryptoAlgorithm(algorithm, 'digest');
  return cryptoArrayBuffer(cryptoHost.digest(alg.name, cryptoBuffer(data, 'data')));
}

// The hash a signature uses: ECDSA's comes with the operation, the others' with the key (Ed25519 has none).
function cryptoSignatureHash(alg, record) {
  if (alg.name === 'ECDSA') {
    return alg.hash;
  }
  return record.algorithm.hash === undefined ? null : record.algorithm.hash;
}

function subtleSign(algorithm, key, data) {
  const alg = normalizeCryptoAlgorithm(algorithm, 'sign');
  const bytes = cryptoBuffer(data, 'data');
  const record = cryptoKeyFor(key, alg.name, 'sign');
  return cryptoArrayBuffer(cryptoHost.sign(alg.name, cryptoSignatureHash(alg, record), alg.saltLength || 0,
    record.handle, bytes));
}

function subtleVerify(algorithm, key, signature, data) {
  const alg = normalizeCryptoAlgorithm(algorithm, 'verify');
  const signatureBytes = cryptoBuffer(signature, 'signature');
  const bytes = cryptoBuffer(data, 'data');
  const record = cryptoKeyFor(key, alg.name, 'verify');
  return cryptoHost.verify(alg.name, cryptoSignatureHash(alg, record), alg.saltLength || 0, record.handle,
    signatureBytes, bytes);
}

// ---- encrypt, decrypt

const CRYPTO_GCM_TAG_LENGTHS = [32, 64, 96, 104, 112, 120, 128];

// Encrypts (or decrypts) an ArrayBuffer with a normalized algorithm and a key record already checked.
function cryptoCipher(encrypt, alg, record, data) {
  const handle = record.handle;
  switch (alg.name) {
    case 'AES-GCM':
      if (!CRYPTO_GCM_TAG_LENGTHS.includes(alg.tagLength)) {
        throw cryptoDomError('Invalid AES-GCM tag length: ' + alg.tagLength, 'OperationError');
      }
      if (alg.iv.byteLength === 0) {
        throw cryptoDomError('The AES-GCM iv must not be empty', 'OperationError');
      }
      if (!encrypt && data.byteLength < alg.tagLength / 8) {
        throw cryptoDomError('The data is shorter than the AES-GCM tag', 'OperationError');
      }
      return cryptoHost.aesGcm(encrypt, handle, alg.iv, alg.additionalData, alg.tagLength, data);
    case 'AES-CBC':
      if (alg.iv.byteLength !== 16) {
        throw cryptoDomError('The AES-CBC iv must be 16 bytes', 'OperationError');
      }
      return cryptoHost.aesCbc(encrypt, handle, alg.iv, data);
    case 'AES-CTR':
      if (alg.counter.byteLength !== 16) {
        throw cryptoDomError('The AES-CTR counter must be 16 bytes', 'OperationError');
      }
      if (alg.length === 0 || alg.length > 128) {
        throw cryptoDomError('The AES-CTR length must be between 1 and 128', 'OperationError');
      }
      return cryptoHost.aesCtr(handle, alg.counter, alg.length, data);
    case 'AES-KW':
      if (data.byteLength % 8 !== 0 || data.byteLength < (encrypt ? 16 : 24)) {
        throw cryptoDomError('AES-KW data must be a multiple of 8 bytes, at least ' + (encrypt ? 16 : 24),
          'OperationError');
      }
      return cryptoHost.aesKw(encrypt, handle, data);
    default: // RSA-OAEP (the usages put encrypt and wrapKey on the public key only, decrypt on the private)
      return cryptoHost.rsaOaep(encrypt, record.algorithm.hash, handle, alg.label, data);
  }
}

function subtleEncrypt(algorithm, key, data) {
  const alg = normalizeCryptoAlgorithm(algorithm, 'encrypt');
  const bytes = cryptoBuffer(data, 'data');
  return cryptoArrayBuffer(cryptoCipher(true, alg, cryptoKeyFor(key, alg.name, 'encrypt'), bytes));
}

function subtleDecrypt(algorithm, key, data) {
  const alg = normalizeCryptoAlgorithm(algorithm, 'decrypt');
  const bytes = cryptoBuffer(data, 'data');
  return cryptoArrayBuffer(cryptoCipher(false, alg, cryptoKeyFor(key, alg.name, 'decrypt'), bytes));
}

// ---- generateKey

const CRYPTO_AES_LENGTHS = [128, 192, 256];

// The default HMAC key length: the hash's block size.
function cryptoHmacBlockBits(hash) {
  return hash === 'SHA-384' || hash === 'SHA-512' ? 1024 : 512;
}

function cryptoSecretAlgorithm(alg, bits) {
  return alg.name === 'HMAC' ? { name: 'HMAC', hash: alg.hash, length: bits } : { name: alg.name, length: bits };
}

// The RSA key sizes and public exponents Workers generates.
function checkCryptoRsaParams(alg) {
  const bits = alg.modulusLength;
  if (bits % 8 !== 0 || bits < 256 || bits > 16384) {
    throw cryptoDomError('The modulus length must be a multiple of 8 and between 256 and 16k, but ' + bits +
      ' was requested.', 'OperationError');
  }
  let exponent = 0;
  for (const byte of alg.publicExponent) {
    exponent = exponent * 256 + byte;
  }
  if (exponent !== 3 && exponent !== 65537) {
    throw cryptoDomError('The "publicExponent" must be either 3 or 65537, but got ' + exponent + '.',
      'OperationError');
  }
}

function subtleGenerateKey(algorithm, extractable, keyUsages) {
  const alg = normalizeCryptoAlgorithm(algorithm, 'generateKey');
  const usages = normalizeCryptoUsages(keyUsages);
  extractable = Boolean(extractable);
  const kind = CRYPTO_KEY_KIND[alg.name];
  if (kind === undefined) {
    checkCryptoUsages(alg.name, 'secret', usages);
    let bits;
    if (alg.name === 'HMAC') {
      bits = alg.length === undefined ? cryptoHmacBlockBits(alg.hash) : alg.length;
      if (bits === 0 || bits % 8 !== 0) {
        throw cryptoDomError('HMAC key length must be a non-zero multiple of 8', 'OperationError');
      }
    } else {
      bits = alg.length;
      if (!CRYPTO_AES_LENGTHS.includes(bits)) {
        throw cryptoDomError('AES key length must be 128, 192 or 256 bits', 'OperationError');
      }
    }
    if (usages.length === 0) {
      throw cryptoDomError('Usages cannot be empty when creating a key.', 'SyntaxError');
    }
    return newCryptoKey('secret', extractable, cryptoSecretAlgorithm(alg, bits), usages,
      cryptoHost.generateSecret(bits));
  }
  const allowed = CRYPTO_KEY_USAGES[alg.name];
  for (const usage of usages) {
    if (!allowed.public.includes(usage) && !allowed.private.includes(usage)) {
      throw cryptoDomError('Unsupported key usage for a ' + alg.name + ' key: ' + usage, 'SyntaxError');
    }
  }
  const privateUsages = usages.filter((u) => allowed.private.includes(u));
  if (privateUsages.length === 0) {
    throw cryptoDomError('Usages cannot be empty when creating a key.', 'SyntaxError');
  }
  if (kind === 'RSA') {
    checkCryptoRsaParams(alg);
  }
  const keyAlgorithm = { name: alg.name };
  if (alg.namedCurve !== undefined) {
    keyAlgorithm.namedCurve = alg.namedCurve;
  } else if (kind === 'RSA') {
    keyAlgorithm.modulusLength = alg.modulusLength;
    keyAlgorithm.publicExponent = alg.publicExponent;
    keyAlgorithm.hash = alg.hash;
  }
  const handle = cryptoHost.generateKeyPair(kind, alg.namedCurve || '', alg.modulusLength || 0,
    alg.publicExponent === undefined ? null : exactBuffer(alg.publicExponent));
  return {
    publicKey: newCryptoKey('public', true, keyAlgorithm, usages.filter((u) => allowed.public.includes(u)),
      cryptoHost.publicKeyOf(handle)),
    privateKey: newCryptoKey('private', extractable, keyAlgorithm, privateUsages, handle),
  };
}

// ---- importKey

// The JWK "alg" value of a key algorithm, or undefined when the JWK carries none.
function cryptoJwkAlg(algorithm) {
  const hashBits = algorithm.hash === undefined ? '' : algorithm.hash.slice(4);
  switch (algorithm.name) {
    case 'HMAC': return 'HS' + hashBits;
    case 'AES-GCM': case 'AES-CBC': case 'AES-CTR': case 'AES-KW':
      return 'A' + algorithm.length + algorithm.name.slice(4);
    case 'RSASSA-PKCS1-v1_5': return 'RS' + hashBits;
    case 'RSA-PSS': return 'PS' + hashBits;
    case 'RSA-OAEP': return hashBits === '1' ? 'RSA-OAEP' : 'RSA-OAEP-' + hashBits;
    case 'ECDSA': return algorithm.namedCurve === 'P-521' ? 'ES512' : 'ES' + algorithm.namedCurve.slice(2);
    case 'Ed25519': return 'EdDSA'; // as workerd exports it (the Secure Curves draft now says 'Ed25519')
    default: return undefined;
  }
}

// The JsonWebKey members the import reads, as strings (WebIDL dictionary conversion).
function cryptoJwkDictionary(keyData) {
  if (typeof keyData !== 'object' || keyData === null || ArrayBuffer.isView(keyData) ||
      keyData instanceof ArrayBuffer) {
    throw new TypeError('keyData must be a JsonWebKey object for the jwk format');
  }
  const jwk = {};
  for (const member of ['kty', 'use', 'alg', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
    const value = keyData[member];
    if (value !== undefined) {
      jwk[member] = String(value);
    }
  }
  if (keyData.ext !== undefined) {
    jwk.ext = Boolean(keyData.ext);
  }
  if (keyData.key_ops !== undefined) {
    if (typeof keyData.key_ops !== 'object' || keyData.key_ops === null) {
      throw new TypeError('JsonWebKey.key_ops must be a sequence of strings');
    }
    jwk.key_ops = Array.from(keyData.key_ops, String);
  }
  if (keyData.oth !== undefined) {
    jwk.oth = keyData.oth;
  }
  return jwk;
}

// The checks every JWK import makes: kty, use, key_ops, ext and alg.
function checkCryptoJwk(jwk, kty, use, expectedAlg, algorithmName, extractable, usages) {
  if (jwk.kty !== kty) {
    throw cryptoDomError('The JWK kty must be ' + kty + ' for ' + algorithmName, 'DataError');
  }
  if (jwk.use !== undefined && usages.length > 0 && jwk.use !== use) {
    throw cryptoDomError("The JWK use must be '" + use + "'", 'DataError');
  }
  if (jwk.key_ops !== undefined) {
    if (new Set(jwk.key_ops).size !== jwk.key_ops.length) {
      throw cryptoDomError('The JWK key_ops has duplicates', 'DataError');
    }
    if (!usages.every((u) => jwk.key_ops.includes(u))) {
      throw cryptoDomError('The JWK key_ops does not allow the requested usages', 'DataError');
    }
  }
  if (jwk.ext === false && extractable) {
    throw cryptoDomError('The JWK is not extractable', 'DataError');
  }
  if (jwk.alg !== undefined && expectedAlg !== undefined && jwk.alg !== expectedAlg &&
      !(expectedAlg === 'EdDSA' && jwk.alg === 'Ed25519')) {
    throw cryptoDomError("The JWK alg '" + jwk.alg + "' does not match " + algorithmName, 'DataError');
  }
}

function cryptoImportSecret(format, keyData, alg, extractable, usages) {
  checkCryptoUsages(alg.name, 'secret', usages);
  const derivation = alg.name === 'PBKDF2' || alg.name === 'HKDF';
  if (derivation) {
    if (format !== 'raw') {
      throw cryptoDomError(alg.name + ' keys can only be imported as raw', 'NotSupportedError');
    }
    if (extractable) {
      throw cryptoDomError(alg.name + ' keys cannot be extractable', 'SyntaxError');
    }
  } else if (format !== 'raw' && format !== 'jwk') {
    throw cryptoDomError(alg.name + ' keys cannot be imported as ' + format, 'NotSupportedError');
  }
  let handle;
  if (format === 'jwk') {
    const jwk = cryptoJwkDictionary(keyData);
    if (jwk.kty !== 'oct' || jwk.k === undefined) {
      throw cryptoDomError('A secret key JWK has kty "oct" and a k member', 'DataError');
    }
    handle = cryptoHost.importJwkSecret(jwk.k);
    const expectedAlg = cryptoJwkAlg(alg.name === 'HMAC' ? { name: 'HMAC', hash: alg.hash }
      : { name: alg.name, length: cryptoHost.secretBits(handle) });
    checkCryptoJwk(jwk, 'oct', alg.name === 'HMAC' ? 'sig' : 'enc', expectedAlg, alg.name, extractable, usages);
  } else {
    handle = cryptoHost.importSecret(cryptoBuffer(keyData, 'keyData'));
  }
  const bits = cryptoHost.secretBits(handle);
  if (alg.name === 'HMAC') {
    if (bits === 0) {
      throw cryptoDomError('An HMAC key must not be empty', 'DataError');
    }
    let length = bits;
    if (alg.length !== undefined) {
      if (alg.length > bits || alg.length <= bits - 8) {
        throw cryptoDomError('The HMAC length does not match the key data', 'DataError');
      }
      length = alg.length;
    }
    return newCryptoKey('secret', extractable, { name: 'HMAC', hash: alg.hash, length }, usages, handle);
  }
  if (derivation) {
    return newCryptoKey('secret', false, { name: alg.name }, usages, handle);
  }
  if (!CRYPTO_AES_LENGTHS.includes(bits)) {
    throw cryptoDomError('An AES key must be 128, 192 or 256 bits', 'DataError');
  }
  return newCryptoKey('secret', extractable, { name: alg.name, length: bits }, usages, handle);
}

function cryptoImportAsymmetric(format, keyData, alg, extractable, usages) {
  const kind = CRYPTO_KEY_KIND[alg.name];
  const curve = alg.namedCurve || '';
  let type;
  let handle;
  if (format === 'jwk') {
    const jwk = cryptoJwkDictionary(keyData);
    type = jwk.d === undefined ? 'public' : 'private';
    checkCryptoUsages(alg.name, type, usages);
    const kty = kind === 'Ed25519' || kind === 'X25519' ? 'OKP' : kind;
    const use = alg.name === 'RSA-OAEP' || kind === 'X25519' || alg.name === 'ECDH' ? 'enc' : 'sig';
    const expectedAlg = cryptoJwkAlg(kind === 'RSA' ? { name: alg.name, hash: alg.hash }
      : { name: alg.name, namedCurve: curve });
    checkCryptoJwk(jwk, kty, use, expectedAlg, alg.name, extractable, usages);
    if (kind === 'EC' && jwk.crv !== curve) {
      throw cryptoDomError('The JWK crv must be ' + curve, 'DataError');
    }
    if (kty === 'OKP' && jwk.crv !== kind) {
      throw cryptoDomError('The JWK crv must be ' + kind, 'DataError');
    }
    if (jwk.oth !== undefined) {
      throw cryptoDomError('RSA keys with more than two primes are not supported', 'NotSupportedError');
    }
    handle = cryptoHost.importJwk(kind, curve, jwk);
  } else if (format === 'pkcs8') {
    type = 'private';
    checkCryptoUsages(alg.name, type, usages);
    handle = cryptoHost.importPkcs8(kind, curve, cryptoBuffer(keyData, 'keyData'));
  } else {
    type = 'public';
    checkCryptoUsages(alg.name, type, usages);
    if (format === 'raw' && kind === 'RSA') {
      throw cryptoDomError('RSA keys cannot be imported as raw', 'NotSupportedError');
    }
    const bytes = cryptoBuffer(keyData, 'keyData');
    handle = format === 'raw' ? cryptoHost.importRawPublic(kind, curve, bytes)
      : cryptoHost.importSpki(kind, curve, bytes);
  }
  const keyAlgorithm = { name: alg.name };
  if (alg.namedCurve !== undefined) {
    keyAlgorithm.namedCurve = curve;
  } else if (kind === 'RSA') {
    keyAlgorithm.modulusLength = cryptoHost.rsaModulusLength(handle);
    keyAlgorithm.publicExponent = new Uint8Array(cryptoArrayBuffer(cryptoHost.rsaPublicExponent(handle)));
    keyAlgorithm.hash = alg.hash;
  }
  return newCryptoKey(type, type === 'public' ? true : extractable, keyAlgorithm, usages, handle);
}

// Imports a key from data in a format, for importKey, deriveKey and unwrapKey.
function cryptoImport(format, keyData, alg, extractable, usages) {
  const key = CRYPTO_KEY_KIND[alg.name] === undefined
    ? cryptoImportSecret(format, keyData, alg, extractable, usages)
    : cryptoImportAsymmetric(format, keyData, alg, extractable, usages);
  if (key.type !== 'public' && usages.length === 0) {
    throw cryptoDomError('Usages cannot be empty when creating a key.', 'SyntaxError');
  }
  return key;
}

function subtleImportKey(format, keyData, algorithm, extractable, keyUsages) {
  format = cryptoFormat(format);
  if (format !== 'jwk') {
    keyData = cryptoBuffer(keyData, 'keyData');
  }
  const alg = normalizeCryptoAlgorithm(algorithm, 'importKey');
  return cryptoImport(format, keyData, alg, Boolean(extractable), normalizeCryptoUsages(keyUsages));
}

// ---- exportKey

function cryptoExport(format, key) {
  const record = cryptoKeyRecord(key, 'key');
  const name = record.algorithm.name;
  if (name === 'PBKDF2' || name === 'HKDF') {
    throw cryptoDomError(name + ' keys cannot be exported', 'NotSupportedError');
  }
  if (!record.extractable) {
    throw cryptoDomError('The key is not extractable', 'InvalidAccessError');
  }
  const kind = CRYPTO_KEY_KIND[name];
  switch (format) {
    case 'raw':
      if (record.type === 'secret') {
        return cryptoArrayBuffer(cryptoHost.exportSecret(record.handle));
      }
      if (kind === 'RSA') {
        throw cryptoDomError('RSA keys cannot be exported as raw', 'NotSupportedError');
      }
      if (record.type !== 'public') {
        throw cryptoDomError('Only public keys can be exported as raw', 'InvalidAccessError');
      }
      return cryptoArrayBuffer(cryptoHost.exportRawPublic(record.handle));
    case 'spki':
    case 'pkcs8': {
      const wanted = format === 'spki' ? 'public' : 'private';
      if (record.type === 'secret') {
        throw cryptoDomError(name + ' keys cannot be exported as ' + format, 'NotSupportedError');
      }
      if (record.type !== wanted) {
        throw cryptoDomError('Only ' + wanted + ' keys can be exported as ' + format, 'InvalidAccessError');
      }
      return cryptoArrayBuffer(format === 'spki' ? cryptoHost.exportSpki(record.handle)
        : cryptoHost.exportPkcs8(record.handle));
    }
    default: {
      const jwk = record.type === 'secret' ? { kty: 'oct', k: cryptoHost.exportJwkSecret(record.handle) }
        : JSON.parse(cryptoHost.exportJwk(record.handle));
      const alg = cryptoJwkAlg(record.algorithm);
      if (alg !== undefined) {
        jwk.alg = alg;
      }
      jwk.key_ops = record.usages.slice();
      jwk.ext = record.extractable;
      return jwk;
    }
  }
}

function subtleExportKey(format, key) {
  return cryptoExport(cryptoFormat(format), key);
}

// ---- deriveBits, deriveKey

// length: bits wanted, or null (ECDH and X25519: the whole secret).
function cryptoDeriveBits(alg, record, length) {
  switch (alg.name) {
    case 'ECDH':
    case 'X25519': {
      const publicRecord = cryptoKeyRecord(alg.public, 'public');
      if (publicRecord.type !== 'public') {
        throw cryptoDomError('The public member must be a public key', 'InvalidAccessError');
      }
      if (publicRecord.algorithm.name !== alg.name ||
          publicRecord.algorithm.namedCurve !== record.algorithm.namedCurve) {
        throw cryptoDomError('The public key is not a ' + alg.name + ' key of the same curve',
          'InvalidAccessError');
      }
      return cryptoHost.agree(CRYPTO_KEY_KIND[alg.name], record.handle, publicRecord.handle,
        length === null ? -1 : length);
    }
    case 'HKDF':
      if (length === null || length % 8 !== 0) {
        throw cryptoDomError('HKDF needs a length that is a multiple of 8', 'OperationError');
      }
      return cryptoHost.hkdf(alg.hash, record.handle, alg.salt, alg.info, length);
    default: // PBKDF2
      if (length === null || length === 0 || length % 8 !== 0) {
        throw cryptoDomError('PBKDF2 needs a non-zero length that is a multiple of 8', 'OperationError');
      }
      if (alg.iterations === 0) {
        throw cryptoDomError('PBKDF2 needs at least one iteration', 'OperationError');
      }
      if (alg.iterations > CRYPTO_MAX_PBKDF2_ITERATIONS) {
        throw cryptoDomError('Pbkdf2 failed: iteration counts above 100000 are not supported (requested ' +
          alg.iterations + ').', 'NotSupportedError');
      }
      return cryptoHost.pbkdf2(alg.hash, record.handle, alg.salt, alg.iterations, length);
  }
}

function subtleDeriveBits(algorithm, baseKey, length) {
  const alg = normalizeCryptoAlgorithm(algorithm, 'deriveBits');
  const bits = length === undefined || length === null ? null : cryptoInteger(length, 'length', 0xffffffff);
  return cryptoArrayBuffer(cryptoDeriveBits(alg, cryptoKeyFor(baseKey, alg.name, 'deriveBits'), bits));
}

// The length of key a derivedKeyType needs, or null (HKDF, PBKDF2).
function cryptoKeyLength(alg) {
  if (alg.name === 'HMAC') {
    if (alg.length === 0) {
      throw new TypeError('HMAC key length must not be zero');
    }
    return alg.length === undefined ? cryptoHmacBlockBits(alg.hash) : alg.length;
  }
  if (alg.name === 'HKDF' || alg.name === 'PBKDF2') {
    return null;
  }
  if (!CRYPTO_AES_LENGTHS.includes(alg.length)) {
    throw cryptoDomError('AES key length must be 128, 192 or 256 bits', 'OperationError');
  }
  return alg.length;
}

function subtleDeriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
  const alg = normalizeCryptoAlgorithm(algorithm, 'deriveBits');
  const importAlg = normalizeCryptoAlgorithm(derivedKeyType, 'importKey');
  const length = cryptoKeyLength(normalizeCryptoAlgorithm(derivedKeyType, 'getKeyLength'));
  const usages = normalizeCryptoUsages(keyUsages);
  const bits = cryptoDeriveBits(alg, cryptoKeyFor(baseKey, alg.name, 'deriveKey'), length);
  return cryptoImport('raw', cryptoArrayBuffer(bits), importAlg, Boolean(extractable), usages);
}

// ---- wrapKey, unwrapKey

// wrapKey's algorithm: AES-KW, or any encryption algorithm.
function cryptoWrapAlgorithm(algorithm, operation) {
  try {
    return normalizeCryptoAlgorithm(algorithm, 'wrapKey');
  } catch (e) {
    if (e instanceof DOMException && e.name === 'NotSupportedError') {
      return normalizeCryptoAlgorithm(algorithm, operation);
    }
    throw e;
  }
}

function subtleWrapKey(format, key, wrappingKey, wrapAlgorithm) {
  format = cryptoFormat(format);
  const alg = cryptoWrapAlgorithm(wrapAlgorithm, 'encrypt');
  const record = cryptoKeyFor(wrappingKey, alg.name, 'wrapKey');
  const exported = cryptoExport(format, key);
  const bytes = format === 'jwk' ? exactBuffer(utf8Encode(JSON.stringify(exported))) : exported;
  return cryptoArrayBuffer(cryptoCipher(true, alg, record, bytes));
}

function subtleUnwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable,
  keyUsages) {
  format = cryptoFormat(format);
  const wrapped = cryptoBuffer(wrappedKey, 'wrappedKey');
  const alg = cryptoWrapAlgorithm(unwrapAlgorithm, 'decrypt');
  const importAlg = normalizeCryptoAlgorithm(unwrappedKeyAlgorithm, 'importKey');
  const usages = normalizeCryptoUsages(keyUsages);
  const record = cryptoKeyFor(unwrappingKey, alg.name, 'unwrapKey');
  const bytes = cryptoArrayBuffer(cryptoCipher(false, alg, record, wrapped));
  let keyData = bytes;
  if (format === 'jwk') {
    try {
      keyData = JSON.parse(utf8Decode(new Uint8Array(bytes)));
    } catch {
      throw cryptoDomError('The unwrapped key is not a JSON Web Key', 'DataError');
    }
  }
  return cryptoImport(format, keyData, importAlg, Boolean(extractable), usages);
}

// ---- SubtleCrypto

let isSubtleCrypto;

class SubtleCrypto {
  #brand;

  static {
    isSubtleCrypto = (value) => typeof value === 'object' && value !== null && #brand in value;
  }

  constructor(token) {
    if (token !== INTERNAL) {
      illegalConstructor();
    }
  }

  digest(algorithm, data) {
    return cryptoPromise(subtleDigest, 2, 'digest', this, arguments);
  }

  generateKey(algorithm, extractable, keyUsages) {
    return cryptoPromise(subtleGenerateKey, 3, 'generateKey', this, arguments);
  }

  importKey(format, keyData, algorithm, extractable, keyUsages) {
    return cryptoPromise(subtleImportKey, 5, 'importKey', this, arguments);
  }

  exportKey(format, key) {
    return cryptoPromise(subtleExportKey, 2, 'exportKey', this, arguments);
  }

  sign(algorithm, key, data) {
    return cryptoPromise(subtleSign, 3, 'sign', this, arguments);
  }

  verify(algorithm, key, signature, data) {
    return cryptoPromise(subtleVerify, 4, 'verify', this, arguments);
  }

  encrypt(algorithm, key, data) {
    return cryptoPromise(subtleEncrypt, 3, 'encrypt', this, arguments);
  }

  decrypt(algorithm, key, data) {
    return cryptoPromise(subtleDecrypt, 3, 'decrypt', this, arguments);
  }

  deriveBits(algorithm, baseKey, length = null) {
    return cryptoPromise(subtleDeriveBits, 2, 'deriveBits', this, arguments);
  }

  deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
    return cryptoPromise(subtleDeriveKey, 5, 'deriveKey', this, arguments);
  }

  wrapKey(format, key, wrappingKey, wrapAlgorithm) {
    return cryptoPromise(subtleWrapKey, 4, 'wrapKey', this, arguments);
  }

  unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
    return cryptoPromise(subtleUnwrapKey, 7, 'unwrapKey', this, arguments);
  }

  // Cloudflare Workers' extension: compares two equally long buffers in time independent of their contents.
  timingSafeEqual(a, b) {
    const left = cryptoBuffer(a, 'a');
    const right = cryptoBuffer(b, 'b');
    if (left.byteLength !== right.byteLength) {
      throw new TypeError('Input buffers must have the same byte length');
    }
    return cryptoHost.timingSafeEqual(left, right);
  }
}
Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true });

defineGlobal('Crypto', Crypto);
defineGlobal('SubtleCrypto', SubtleCrypto);
defineGlobal('CryptoKey', CryptoKey);
defineGlobal('crypto', new Crypto(INTERNAL));
