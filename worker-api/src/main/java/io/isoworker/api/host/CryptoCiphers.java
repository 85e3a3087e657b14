package io.isoworker.api.host;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/** Web Crypto encrypt and decrypt on the JDK's {@code Cipher}: AES-GCM, AES-CBC, AES-CTR, AES-KW, RSA-OAEP. */
final class CryptoCiphers {

    private static final int BLOCK = 16;
    /** The shortest GCM tag the JDK computes itself; shorter Web Crypto tags are a prefix of the 128-bit tag. */
    private static final int JDK_MIN_GCM_TAG_BITS = 96;

    private CryptoCiphers() {
    }

    static byte[] aesGcm(boolean encrypt, CryptoKeyHandle key, byte[] iv, byte[] aad, int tagBits, byte[] data) {
        try {
            if (tagBits >= JDK_MIN_GCM_TAG_BITS) {
                return gcm(encrypt, key, iv, aad, tagBits, data);
            }
            int tagBytes = tagBits / 8;
            if (encrypt) {
                byte[] full = gcm(true, key, iv, aad, 128, data);
                return Arrays.copyOf(full, data.length + tagBytes);
            }
            if (data.length < tagBytes) {
                throw CryptoException.operationError("The data is shorter than the tag");
            }
            // GCM's ciphertext is the plaintext XOR a keystream fixed by key and IV, so encrypting the ciphertext
            // yields the plaintext; encrypting that again gives the full tag to compare a prefix of.
            byte[] ciphertext = Arrays.copyOf(data, data.length - tagBytes);
            byte[] plaintext = Arrays.copyOf(gcm(true, key, iv, new byte[0], 128, ciphertext), ciphertext.length);
            byte[] full = gcm(true, key, iv, aad, 128, plaintext);
            byte[] expected = Arrays.copyOfRange(full, plaintext.length, plaintext.length + tagBytes);
            byte[] actual = Arrays.copyOfRange(data, ciphertext.length, data.length);
            if (!MessageDigest.isEqual(expected, actual)) {
                throw CryptoException.operationError("The operation failed for an operation-specific reason");
            }
            return plaintext;
        } catch (AEADBadTagException e) {
            throw CryptoException.operationError("The operation failed for an operation-specific reason");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("AES-GCM failed: " + e.getMessage());
        }
    }

    private static byte[] gcm(boolean encrypt, CryptoKeyHandle key, byte[] iv, byte[] aad, int tagBits, byte[] data)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode(encrypt), aes(key), new GCMParameterSpec(tagBits, iv));
        if (aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher.doFinal(data);
    }

    static byte[] aesCbc(boolean encrypt, CryptoKeyHandle key, byte[] iv, byte[] data) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode(encrypt), aes(key), new IvParameterSpec(iv));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("AES-CBC failed: " + e.getMessage());
        }
    }

    /**
     * AES-CTR where only the counter block's rightmost {@code lengthBits} bits count up and wrap to zero. The
     * JDK's CTR counts with all 128 bits, so a message that passes the wrap point is done in two parts.
     */
    static byte[] aesCtr(CryptoKeyHandle key, byte[] counter, int lengthBits, byte[] data) {
        try {
            long blocks = (data.length + BLOCK - 1) / BLOCK;
            BigInteger modulus = BigInteger.ONE.shiftLeft(lengthBits);
            BigInteger start = new BigInteger(1, counter).mod(modulus);
            if (BigInteger.valueOf(blocks).compareTo(modulus) > 0) {
                throw CryptoException.operationError("The counter would repeat for this much data");
            }
            BigInteger untilWrap = modulus.subtract(start);
            if (BigInteger.valueOf(blocks).compareTo(untilWrap) <= 0) {
                return ctr(key, counter, data, 0, data.length);
            }
            int firstPart = untilWrap.intValueExact() * BLOCK;
            byte[] wrapped = new BigInteger(1, counter).subtract(start).toByteArray();
            byte[] restart = new byte[BLOCK];
            int copy = Math.min(wrapped.length, BLOCK);
            System.arraycopy(wrapped, wrapped.length - copy, restart, BLOCK - copy, copy);
            byte[] out = new byte[data.length];
            System.arraycopy(ctr(key, counter, data, 0, firstPart), 0, out, 0, firstPart);
            System.arraycopy(ctr(key, restart, data, firstPart, data.length - firstPart), 0, out, firstPart,
                    data.length - firstPart);
            return out;
        } catch (GeneralSecurityException | IllegalArgumentException | ArithmeticException e) {
            throw CryptoException.operationError("AES-CTR failed: " + e.getMessage());
        }
    }

    private static byte[] ctr(CryptoKeyHandle key, byte[] counter, byte[] data, int offset, int length)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, aes(key), new IvParameterSpec(counter));
        return cipher.doFinal(data, offset, length);
    }

    /** RFC 3394 key wrap: {@code wrap} true wraps, false unwraps (an integrity failure is an OperationError). */
    static byte[] aesKw(boolean wrap, CryptoKeyHandle key, byte[] data) {
        try {
            Cipher cipher = Cipher.getInstance("AES/KW/NoPadding");
            cipher.init(mode(wrap), aes(key));
            return cipher.doFinal(data);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("AES-KW failed: " + e.getMessage());
        }
    }

    static byte[] rsaOaep(boolean encrypt, String hash, CryptoKeyHandle key, byte[] label, byte[] data) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            OAEPParameterSpec params = new OAEPParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
                    new PSource.PSpecified(label));
            if (encrypt) {
                cipher.init(Cipher.ENCRYPT_MODE, key.publicKey, params);
            } else {
                cipher.init(Cipher.DECRYPT_MODE, key.privateKey, params);
            }
            return cipher.doFinal(data);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("RSA-OAEP failed: " + e.getMessage());
        }
    }

    private static int mode(boolean encrypt) {
        return encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
    }

    private static SecretKeySpec aes(CryptoKeyHandle key) {
        return new SecretKeySpec(key.secret, "AES");
    }
}
