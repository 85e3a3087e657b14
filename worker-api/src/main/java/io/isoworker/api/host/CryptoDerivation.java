package io.isoworker.api.host;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.PBEKeySpec;

/**
 * Web Crypto deriveBits: PBKDF2 ({@code SecretKeyFactory}), HKDF ({@code KDF}), ECDH and X25519
 * ({@code KeyAgreement}).
 */
final class CryptoDerivation {

    private CryptoDerivation() {
    }

    /**
     * The JDK's PBKDF2 takes the password as characters and hashes their UTF-8 encoding, so only a password that
     * is valid UTF-8 can be given to it; it also refuses an empty salt.
     */
    static byte[] pbkdf2(String hash, CryptoKeyHandle key, byte[] salt, int iterations, int bits) {
        String text = new String(key.secret, StandardCharsets.UTF_8);
        if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), key.secret)) {
            throw CryptoException.notSupported("PBKDF2 passwords that are not valid UTF-8 are not supported");
        }
        if (salt.length == 0) {
            throw CryptoException.notSupported("PBKDF2 with an empty salt is not supported");
        }
        char[] password = text.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmac" + hash.replace("-", "")).generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("PBKDF2 failed: " + e.getMessage());
        } finally {
            spec.clearPassword();
            Arrays.fill(password, '\0');
        }
    }

    static byte[] hkdf(String hash, CryptoKeyHandle key, byte[] salt, byte[] info, int bits) {
        KDF kdf;
        try {
            kdf = KDF.getInstance("HKDF-" + hash.replace("-", ""));
        } catch (NoSuchAlgorithmException e) {
            throw CryptoException.notSupported("HKDF with " + hash + " is not supported");
        }
        try {
            return kdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(key.secret).addSalt(salt)
                    .thenExpand(info, bits / 8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("HKDF failed: " + e.getMessage());
        }
    }

    /**
     * ECDH (kind {@code EC}) or X25519 shared secret, cut to {@code bits} (-1: all of it).
     */
    static byte[] agree(String kind, CryptoKeyHandle privateKey, CryptoKeyHandle publicKey, int bits) {
        byte[] secret;
        try {
            KeyAgreement agreement = KeyAgreement.getInstance(kind.equals("EC") ? "ECDH" : "X25519");
            agreement.init(privateKey.privateKey);
            agreement.doPhase(publicKey.publicKey, true);
            secret = agreement.generateSecret();
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            throw CryptoException.operationError("Key agreement failed: " + e.getMessage());
        }
        if (bits < 0) {
            return secret;
        }
        if (bits > secret.length * 8) {
            throw CryptoException.operationError("The requested length is longer than the shared secret");
        }
        byte[] out = Arrays.copyOf(secret, (bits + 7) / 8);
        if (bits % 8 != 0) {
            out[out.length - 1] &= (byte) (0xff << (8 - bits % 8));
        }
        return out;
    }
}
