package io.isoworker.api.host;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web Crypto sign and verify on the JDK's {@code Mac} and {@code Signature}. ECDSA signatures are in the IEEE
 * P1363 form (r || s) that Web Crypto uses, which the JDK produces itself ({@code ...inP1363Format}).
 */
final class CryptoSignatures {

    private CryptoSignatures() {
    }

    /** @param hash a Web Crypto hash name (SHA-256...); {@code saltLength} only matters for RSA-PSS */
    static byte[] sign(String algorithm, String hash, int saltLength, CryptoKeyHandle key, byte[] data) {
        try {
            if (algorithm.equals("HMAC")) {
                return hmac(hash, key).doFinal(data);
            }
            Signature signature = signature(algorithm, hash, saltLength);
            signature.initSign(key.privateKey);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("Signing failed: " + e.getMessage());
        }
    }

    static boolean verify(String algorithm, String hash, int saltLength, CryptoKeyHandle key, byte[] signature,
            byte[] data) {
        try {
            if (algorithm.equals("HMAC")) {
                return MessageDigest.isEqual(hmac(hash, key).doFinal(data), signature);
            }
            Signature verifier = signature(algorithm, hash, saltLength);
            verifier.initVerify(key.publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // a malformed signature does not verify
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("Verification failed: " + e.getMessage());
        }
    }

    private static Mac hmac(String hash, CryptoKeyHandle key) throws GeneralSecurityException {
        String name = "Hmac" + hash.replace("-", "");
        Mac mac = Mac.getInstance(name);
        mac.init(new SecretKeySpec(key.secret, name));
        return mac;
    }

    private static Signature signature(String algorithm, String hash, int saltLength)
            throws GeneralSecurityException {
        String digest = hash == null ? null : hash.replace("-", "");
        return switch (algorithm) {
            case "ECDSA" -> Signature.getInstance(digest + "withECDSAinP1363Format");
            case "Ed25519", "NODE-ED25519" -> Signature.getInstance("Ed25519");
            case "RSASSA-PKCS1-v1_5" -> Signature.getInstance(digest + "withRSA");
            case "RSA-PSS" -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength,
                        PSSParameterSpec.TRAILER_FIELD_BC));
                yield pss;
            }
            default -> throw CryptoException.notSupported("Unsupported signature algorithm: " + algorithm);
        };
    }
}
