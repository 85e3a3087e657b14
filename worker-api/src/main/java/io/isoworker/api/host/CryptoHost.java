package io.isoworker.api.host;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The host side of the Web Crypto API (prelude {@code crypto.js}): random values and the primitives behind
 * {@code crypto.subtle}, all on the JDK's JCA/JCE providers. The prelude normalizes algorithms and checks keys,
 * usages and formats; these methods take Web Crypto algorithm names, byte buffers (whole ArrayBuffers) and
 * {@link CryptoKeyHandle}s, and fail with a {@link CryptoException} naming the DOMException to raise.
 */
public final class CryptoHost {

    /**
     * One generator per thread, so that the event loops draw random bytes without contending for a lock. A DRBG
     * (NIST SP 800-90A) has its own state per instance; the default NativePRNG shares one lock among all.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(CryptoHost::newRandom);
    private static final byte[] EMPTY = new byte[0];

    @HostAccess.Export
    public ByteBuffer randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.get().nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** A version 4 UUID (RFC 9562 5.4): 122 random bits. */
    @HostAccess.Export
    public String randomUUID() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    /** @param algorithm SHA-1, SHA-256, SHA-384, SHA-512 or MD5 */
    @HostAccess.Export
    public ByteBuffer digest(String algorithm, Value data) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance(algorithm).digest(bytes(data)));
        } catch (GeneralSecurityException e) {
            throw CryptoException.notSupported("Unsupported digest algorithm: " + algorithm);
        }
    }

    @HostAccess.Export
    public boolean timingSafeEqual(Value a, Value b) {
        return MessageDigest.isEqual(bytes(a), bytes(b));
    }

    // ---- keys

    @HostAccess.Export
    public CryptoKeyHandle generateSecret(int bits) {
        byte[] bytes = new byte[bits / 8];
        RANDOM.get().nextBytes(bytes);
        return CryptoKeyHandle.secret(bytes);
    }

    @HostAccess.Export
    public CryptoKeyHandle importSecret(Value raw) {
        return CryptoKeyHandle.secret(bytes(raw));
    }

    @HostAccess.Export
    public ByteBuffer exportSecret(CryptoKeyHandle key) {
        return ByteBuffer.wrap(key.secret.clone());
    }

    /** @param k the base64url {@code k} member of an {@code oct} JWK */
    @HostAccess.Export
    public CryptoKeyHandle importJwkSecret(String k) {
        try {
            return CryptoKeyHandle.secret(Base64.getUrlDecoder().decode(k));
        } catch (IllegalArgumentException e) {
            throw CryptoException.dataError("The JWK k member is not base64url");
        }
    }

    @HostAccess.Export
    public String exportJwkSecret(CryptoKeyHandle key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.secret);
    }

    @HostAccess.Export
    public int secretBits(CryptoKeyHandle key) {
        return key.secret.length * 8;
    }

    /** A private key handle that also holds its public key ({@link #publicKeyOf}). */
    @HostAccess.Export
    public CryptoKeyHandle generateKeyPair(String kind, String curve, int modulusBits, Value publicExponent) {
        return CryptoKeyCodec.generate(kind, curve, modulusBits, bytes(publicExponent));
    }

    @HostAccess.Export
    public CryptoKeyHandle publicKeyOf(CryptoKeyHandle privateKey) {
        return CryptoKeyHandle.ofPublic(privateKey.publicHalf());
    }

    @HostAccess.Export
    public CryptoKeyHandle importSpki(String kind, String curve, Value der) {
        return CryptoKeyCodec.importSpki(kind, curve, bytes(der));
    }

    @HostAccess.Export
    public CryptoKeyHandle importPkcs8(String kind, String curve, Value der) {
        return CryptoKeyCodec.importPkcs8(kind, curve, bytes(der));
    }

    @HostAccess.Export
    public CryptoKeyHandle importRawPublic(String kind, String curve, Value raw) {
        return CryptoKeyCodec.importRawPublic(kind, curve, bytes(raw));
    }

    /** @param jwk a plain object whose key material members (n, e, d, x, y, ...) are strings or absent */
    @HostAccess.Export
    public CryptoKeyHandle importJwk(String kind, String curve, Value jwk) {
        return CryptoKeyCodec.importJwk(kind, curve, name -> {
            Value member = jwk.getMember(name);
            return member == null || !member.isString() ? null : member.asString();
        });
    }

    @HostAccess.Export
    public ByteBuffer exportSpki(CryptoKeyHandle key) {
        return ByteBuffer.wrap(CryptoKeyCodec.exportSpki(key));
    }

    @HostAccess.Export
    public ByteBuffer exportPkcs8(CryptoKeyHandle key) {
        return ByteBuffer.wrap(CryptoKeyCodec.exportPkcs8(key));
    }

    @HostAccess.Export
    public ByteBuffer exportRawPublic(CryptoKeyHandle key) {
        return ByteBuffer.wrap(CryptoKeyCodec.exportRawPublic(key));
    }

    /** The key material members of the key's JWK as JSON text (the prelude adds alg, ext and key_ops). */
    @HostAccess.Export
    public String exportJwk(CryptoKeyHandle key) {
        return CryptoKeyCodec.exportJwk(key);
    }

    @HostAccess.Export
    public int rsaModulusLength(CryptoKeyHandle key) {
        return CryptoKeyCodec.rsaModulusBits(key);
    }

    @HostAccess.Export
    public ByteBuffer rsaPublicExponent(CryptoKeyHandle key) {
        return ByteBuffer.wrap(CryptoKeyCodec.rsaPublicExponent(key));
    }

    // ---- operations

    /** @param algorithm HMAC, ECDSA, Ed25519, RSASSA-PKCS1-v1_5 or RSA-PSS */
    @HostAccess.Export
    public ByteBuffer sign(String algorithm, String hash, int saltLength, CryptoKeyHandle key, Value data) {
        return ByteBuffer.wrap(CryptoSignatures.sign(algorithm, hash, saltLength, key, bytes(data)));
    }

    @HostAccess.Export
    public boolean verify(String algorithm, String hash, int saltLength, CryptoKeyHandle key, Value signature,
            Value data) {
        return CryptoSignatures.verify(algorithm, hash, saltLength, key, bytes(signature), bytes(data));
    }

    @HostAccess.Export
    public ByteBuffer aesGcm(boolean encrypt, CryptoKeyHandle key, Value iv, Value additionalData, int tagLength,
            Value data) {
        return ByteBuffer.wrap(CryptoCiphers.aesGcm(encrypt, key, bytes(iv), bytes(additionalData), tagLength,
                bytes(data)));
    }

    @HostAccess.Export
    public ByteBuffer aesCbc(boolean encrypt, CryptoKeyHandle key, Value iv, Value data) {
        return ByteBuffer.wrap(CryptoCiphers.aesCbc(encrypt, key, bytes(iv), bytes(data)));
    }

    @HostAccess.Export
    public ByteBuffer aesCtr(CryptoKeyHandle key, Value counter, int length, Value data) {
        return ByteBuffer.wrap(CryptoCiphers.aesCtr(key, bytes(counter), length, bytes(data)));
    }

    @HostAccess.Export
    public ByteBuffer aesKw(boolean wrap, CryptoKeyHandle key, Value data) {
        return ByteBuffer.wrap(CryptoCiphers.aesKw(wrap, key, bytes(data)));
    }

    @HostAccess.Export
    public ByteBuffer rsaOaep(boolean encrypt, String hash, CryptoKeyHandle key, Value label, Value data) {
        return ByteBuffer.wrap(CryptoCiphers.rsaOaep(encrypt, hash, key, bytes(label), bytes(data)));
    }

    @HostAccess.Export
    public ByteBuffer pbkdf2(String hash, CryptoKeyHandle key, Value salt, int iterations, int bits) {
        return ByteBuffer.wrap(CryptoDerivation.pbkdf2(hash, key, bytes(salt), iterations, bits));
    }

    @HostAccess.Export
    public ByteBuffer hkdf(String hash, CryptoKeyHandle key, Value salt, Value info, int bits) {
        return ByteBuffer.wrap(CryptoDerivation.hkdf(hash, key, bytes(salt), bytes(info), bits));
    }

    /** @param kind EC (ECDH) or X25519; {@code bits} -1 for the whole secret */
    @HostAccess.Export
    public ByteBuffer agree(String kind, CryptoKeyHandle privateKey, CryptoKeyHandle publicKey, int bits) {
        return ByteBuffer.wrap(CryptoDerivation.agree(kind, privateKey, publicKey, bits));
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no DRBG", e);
        }
    }

    /** The bytes of an ArrayBuffer; null or undefined read as no bytes. */
    private static byte[] bytes(Value buffer) {
        if (buffer == null || buffer.isNull()) {
            return EMPTY;
        }
        int length = (int) buffer.getBufferSize();
        byte[] out = new byte[length];
        buffer.readBuffer(0, out, 0, length);
        return out;
    }
}
