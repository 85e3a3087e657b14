package io.isoworker.api.host;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

import javax.crypto.KeyAgreement;

/**
 * Asymmetric keys in and out of the Web Crypto formats (spki, pkcs8, raw, jwk) and key pair generation, on the
 * JDK's {@code KeyFactory} and {@code KeyPairGenerator}. A key's kind is {@code RSA}, {@code EC}, {@code Ed25519}
 * or {@code X25519}; EC keys also carry a Web Crypto curve name ({@code P-256}, {@code P-384}, {@code P-521}).
 */
final class CryptoKeyCodec {

    private static final Map<String, String> JCA_CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1",
            "P-521", "secp521r1");
    private static final Map<String, ECParameterSpec> CURVE_PARAMS = Map.of("P-256", curveParams("secp256r1"),
            "P-384", curveParams("secp384r1"), "P-521", curveParams("secp521r1"));
    /** The DER prefix of an Ed25519 or X25519 SubjectPublicKeyInfo; the 32 key bytes follow. */
    private static final Map<String, byte[]> OKP_SPKI_PREFIX = Map.of(
            "Ed25519", HexFormat.of().parseHex("302a300506032b6570032100"),
            "X25519", HexFormat.of().parseHex("302a300506032b656e032100"));
    /** The DER prefix of an Ed25519 or X25519 PKCS #8 PrivateKeyInfo; the 32 key bytes follow. */
    private static final Map<String, byte[]> OKP_PKCS8_PREFIX = Map.of(
            "Ed25519", HexFormat.of().parseHex("302e020100300506032b657004220420"),
            "X25519", HexFormat.of().parseHex("302e020100300506032b656e04220420"));
    private static final int OKP_KEY_BYTES = 32;

    private CryptoKeyCodec() {
    }

    // ---- generation

    static CryptoKeyHandle generate(String kind, String curve, int modulusBits, byte[] publicExponent) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(kind);
            switch (kind) {
                case "RSA" -> generator.initialize(new RSAKeyGenParameterSpec(modulusBits,
                        new BigInteger(1, publicExponent)));
                case "EC" -> generator.initialize(new ECGenParameterSpec(jcaCurve(curve)));
                default -> { }
            }
            KeyPair pair = generator.generateKeyPair();
            return CryptoKeyHandle.ofPrivate(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.operationError("Key generation failed: " + e.getMessage());
        }
    }

    // ---- import

    static CryptoKeyHandle importSpki(String kind, String curve, byte[] der) {
        try {
            PublicKey key = KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(der));
            checkCurve(key, curve);
            if (key instanceof ECPublicKey ec) {
                checkOnCurve(ec.getW(), ec.getParams());
            }
            return CryptoKeyHandle.ofPublic(key);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw CryptoException.dataError("Invalid spki key data");
        }
    }

    static CryptoKeyHandle importPkcs8(String kind, String curve, byte[] der) {
        try {
            PrivateKey key = KeyFactory.getInstance(kind).generatePrivate(new PKCS8EncodedKeySpec(der));
            checkCurve(key, curve);
            return CryptoKeyHandle.ofPrivate(key, null);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw CryptoException.dataError("Invalid pkcs8 key data");
        }
    }

    /** An EC public key as an uncompressed point, or an Ed25519/X25519 public key's 32 bytes. */
    static CryptoKeyHandle importRawPublic(String kind, String curve, byte[] raw) {
        if (!kind.equals("EC")) {
            if (raw.length != OKP_KEY_BYTES) {
                throw CryptoException.dataError("A raw " + kind + " public key is 32 bytes");
            }
            return importSpki(kind, curve, concat(OKP_SPKI_PREFIX.get(kind), raw));
        }
        ECParameterSpec params = CURVE_PARAMS.get(curve);
        int size = fieldBytes(params);
        if (raw.length != 1 + 2 * size || raw[0] != 4) {
            throw CryptoException.dataError("A raw EC public key must be an uncompressed point on " + curve);
        }
        BigInteger x = new BigInteger(1, raw, 1, size);
        BigInteger y = new BigInteger(1, raw, 1 + size, size);
        return CryptoKeyHandle.ofPublic(ecPublic(x, y, params));
    }

    /** Imports the key material of a JWK whose kty, crv and field types the prelude has checked. */
    static CryptoKeyHandle importJwk(String kind, String curve, Function<String, String> field) {
        try {
            boolean isPrivate = field.apply("d") != null;
            return switch (kind) {
                case "RSA" -> isPrivate ? rsaPrivateFromJwk(field) : CryptoKeyHandle.ofPublic(
                        KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                                jwkInt(field, "n"), jwkInt(field, "e"))));
                case "EC" -> ecFromJwk(curve, field, isPrivate);
                default -> okpFromJwk(kind, field, isPrivate);
            };
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw CryptoException.dataError("Invalid JWK key data: " + e.getMessage());
        }
    }

    private static CryptoKeyHandle rsaPrivateFromJwk(Function<String, String> field)
            throws GeneralSecurityException {
        RSAPrivateCrtKeySpec spec = new RSAPrivateCrtKeySpec(jwkInt(field, "n"), jwkInt(field, "e"),
                jwkInt(field, "d"), jwkInt(field, "p"), jwkInt(field, "q"), jwkInt(field, "dp"),
                jwkInt(field, "dq"), jwkInt(field, "qi"));
        KeyFactory factory = KeyFactory.getInstance("RSA");
        PrivateKey key = factory.generatePrivate(spec);
        PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(spec.getModulus(), spec.getPublicExponent()));
        return CryptoKeyHandle.ofPrivate(key, publicKey);
    }

    private static CryptoKeyHandle ecFromJwk(String curve, Function<String, String> field, boolean isPrivate)
            throws GeneralSecurityException {
        ECParameterSpec params = CURVE_PARAMS.get(curve);
        int size = fieldBytes(params);
        PublicKey publicKey = ecPublic(jwkFixed(field, "x", size), jwkFixed(field, "y", size), params);
        if (!isPrivate) {
            return CryptoKeyHandle.ofPublic(publicKey);
        }
        BigInteger s = new BigInteger(1, jwkBytes(field, "d", (params.getOrder().bitLength() + 7) / 8));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, params));
        return CryptoKeyHandle.ofPrivate(key, publicKey);
    }

    private static CryptoKeyHandle okpFromJwk(String kind, Function<String, String> field, boolean isPrivate)
            throws GeneralSecurityException {
        byte[] x = jwkBytes(field, "x", OKP_KEY_BYTES);
        PublicKey publicKey = KeyFactory.getInstance(kind)
                .generatePublic(new X509EncodedKeySpec(concat(OKP_SPKI_PREFIX.get(kind), x)));
        if (!isPrivate) {
            return CryptoKeyHandle.ofPublic(publicKey);
        }
        byte[] d = jwkBytes(field, "d", OKP_KEY_BYTES);
        PrivateKey key = KeyFactory.getInstance(kind)
                .generatePrivate(new PKCS8EncodedKeySpec(concat(OKP_PKCS8_PREFIX.get(kind), d)));
        return CryptoKeyHandle.ofPrivate(key, publicKey);
    }

    // ---- export

    static byte[] exportSpki(CryptoKeyHandle handle) {
        return handle.publicKey.getEncoded();
    }

    static byte[] exportPkcs8(CryptoKeyHandle handle) {
        return handle.privateKey.getEncoded();
    }

    static byte[] exportRawPublic(CryptoKeyHandle handle) {
        PublicKey key = handle.publicKey;
        if (key instanceof ECPublicKey ec) {
            int size = fieldBytes(ec.getParams());
            byte[] out = new byte[1 + 2 * size];
            out[0] = 4;
            putFixed(ec.getW().getAffineX(), out, 1, size);
            putFixed(ec.getW().getAffineY(), out, 1 + size, size);
            return out;
        }
        byte[] spki = key.getEncoded();
        byte[] raw = new byte[OKP_KEY_BYTES];
        System.arraycopy(spki, spki.length - OKP_KEY_BYTES, raw, 0, OKP_KEY_BYTES);
        return raw;
    }

    /** The key material members of the key's JWK, as a JSON object text. */
    static String exportJwk(CryptoKeyHandle handle) {
        PublicKey publicKey = handle.publicHalf();
        StringBuilder json = new StringBuilder(512).append('{');
        if (publicKey instanceof RSAPublicKey rsa) {
            member(json, "kty", "RSA");
            member(json, "n", b64(unsigned(rsa.getModulus())));
            member(json, "e", b64(unsigned(rsa.getPublicExponent())));
            if (handle.privateKey instanceof RSAPrivateCrtKey crt) {
                member(json, "d", b64(unsigned(crt.getPrivateExponent())));
                member(json, "p", b64(unsigned(crt.getPrimeP())));
                member(json, "q", b64(unsigned(crt.getPrimeQ())));
                member(json, "dp", b64(unsigned(crt.getPrimeExponentP())));
                member(json, "dq", b64(unsigned(crt.getPrimeExponentQ())));
                member(json, "qi", b64(unsigned(crt.getCrtCoefficient())));
            }
        } else if (publicKey instanceof ECPublicKey ec) {
            int size = fieldBytes(ec.getParams());
            member(json, "kty", "EC");
            member(json, "crv", curveName(ec.getParams()));
            member(json, "x", b64(fixed(ec.getW().getAffineX(), size)));
            member(json, "y", b64(fixed(ec.getW().getAffineY(), size)));
            if (handle.privateKey instanceof ECPrivateKey priv) {
                member(json, "d", b64(fixed(priv.getS(), (ec.getParams().getOrder().bitLength() + 7) / 8)));
            }
        } else {
            String kind = publicKey.getAlgorithm().equals("XDH") || publicKey.getAlgorithm().equals("X25519")
                    ? "X25519" : "Ed25519";
            member(json, "kty", "OKP");
            member(json, "crv", kind);
            member(json, "x", b64(exportRawPublic(CryptoKeyHandle.ofPublic(publicKey))));
            if (handle.privateKey != null) {
                member(json, "d", b64(okpPrivateBytes(handle.privateKey)));
            }
        }
        json.setLength(json.length() - 1);
        return json.append('}').toString();
    }

    // ---- key facts

    static int rsaModulusBits(CryptoKeyHandle handle) {
        return ((RSAPublicKey) handle.publicHalf()).getModulus().bitLength();
    }

    static byte[] rsaPublicExponent(CryptoKeyHandle handle) {
        return unsigned(((RSAPublicKey) handle.publicHalf()).getPublicExponent());
    }

    /** The public key of a private key: RSA from its CRT parameters, the others by computing it. */
    static PublicKey publicFromPrivate(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof ECPrivateKey ec) {
                return ecPublicFromPrivate(ec);
            }
            String kind = key instanceof XECPrivateKey ? "X25519" : "Ed25519";
            KeyPairGenerator generator = KeyPairGenerator.getInstance(kind);
            // The JDK's EdDSA and XDH generators take the private key bytes from the random source.
            generator.initialize(new NamedParameterSpec(kind), new FixedBytesRandom(okpPrivateBytes(key)));
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw CryptoException.operationError("Cannot compute the public key: " + e.getMessage());
        }
    }

    /**
     * Q = d*G: ECDH of d with the generator gives Q's x coordinate; y is a square root of x^3 + ax + b (the NIST
     * curves have p = 3 mod 4), and the one of the two roots whose key verifies a signature made with d is Q's.
     */
    private static PublicKey ecPublicFromPrivate(ECPrivateKey key) throws GeneralSecurityException {
        ECParameterSpec params = key.getParams();
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(key);
        agreement.doPhase(KeyFactory.getInstance("EC").generatePublic(
                new ECPublicKeySpec(params.getGenerator(), params)), true);
        BigInteger x = new BigInteger(1, agreement.generateSecret());
        BigInteger p = fieldPrime(params);
        BigInteger y = curveRhs(x, params).modPow(p.add(BigInteger.ONE).shiftRight(2), p);
        byte[] probe = "public key probe".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        for (BigInteger candidate : new BigInteger[] {y, p.subtract(y)}) {
            PublicKey publicKey = ecPublic(x, candidate, params);
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return publicKey;
            }
        }
        throw new GeneralSecurityException("no point matches the private key");
    }

    // ---- helpers

    private static String jcaCurve(String curve) {
        String name = JCA_CURVES.get(curve);
        if (name == null) {
            throw CryptoException.notSupported("Unsupported named curve: " + curve);
        }
        return name;
    }

    private static ECParameterSpec curveParams(String jcaName) {
        try {
            var parameters = java.security.AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(jcaName));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks curve " + jcaName, e);
        }
    }

    private static String curveName(ECParameterSpec params) {
        for (Map.Entry<String, ECParameterSpec> e : CURVE_PARAMS.entrySet()) {
            if (e.getValue().getOrder().equals(params.getOrder())) {
                return e.getKey();
            }
        }
        throw CryptoException.dataError("Unsupported EC curve");
    }

    private static void checkCurve(java.security.Key key, String curve) {
        ECParameterSpec params = key instanceof ECPublicKey pub ? pub.getParams()
                : key instanceof ECPrivateKey priv ? priv.getParams() : null;
        if (params != null && !curveName(params).equals(curve)) {
            throw CryptoException.dataError("The key's curve is not " + curve);
        }
    }

    /** An EC public key from its coordinates, which must be a point on the curve. */
    private static PublicKey ecPublic(BigInteger x, BigInteger y, ECParameterSpec params) {
        checkOnCurve(new ECPoint(x, y), params);
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
        } catch (GeneralSecurityException e) {
            throw CryptoException.dataError("Invalid EC public key");
        }
    }

    /** SEC 1 3.2.2.1: the coordinates are field elements and y^2 = x^3 + ax + b. */
    private static void checkOnCurve(ECPoint point, ECParameterSpec params) {
        BigInteger p = fieldPrime(params);
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0
                || !y.multiply(y).mod(p).equals(curveRhs(x, params))) {
            throw CryptoException.dataError("The EC public key is not a point on the curve");
        }
    }

    private static BigInteger fieldPrime(ECParameterSpec params) {
        return ((ECFieldFp) params.getCurve().getField()).getP();
    }

    /** x^3 + ax + b mod p. */
    private static BigInteger curveRhs(BigInteger x, ECParameterSpec params) {
        return x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB())
                .mod(fieldPrime(params));
    }

    private static int fieldBytes(ECParameterSpec params) {
        return (params.getCurve().getField().getFieldSize() + 7) / 8;
    }

    private static byte[] okpPrivateBytes(PrivateKey key) {
        if (key instanceof EdECPrivateKey ed) {
            return ed.getBytes().orElseThrow();
        }
        return ((XECPrivateKey) key).getScalar().orElseThrow();
    }

    private static BigInteger jwkInt(Function<String, String> field, String name) {
        return new BigInteger(1, jwkBytes(field, name, -1));
    }

    private static BigInteger jwkFixed(Function<String, String> field, String name, int size) {
        return new BigInteger(1, jwkBytes(field, name, size));
    }

    /** A base64url member of a JWK; {@code size} is its required length in bytes, or -1 for any. */
    private static byte[] jwkBytes(Function<String, String> field, String name, int size) {
        String text = field.apply(name);
        if (text == null) {
            throw CryptoException.dataError("The JWK member " + name + " is missing");
        }
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (size >= 0 && bytes.length != size) {
            throw CryptoException.dataError("The JWK member " + name + " must be " + size + " bytes");
        }
        return bytes;
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    private static byte[] fixed(BigInteger n, int size) {
        byte[] out = new byte[size];
        putFixed(n, out, 0, size);
        return out;
    }

    private static void putFixed(BigInteger n, byte[] out, int offset, int size) {
        byte[] bytes = unsigned(n);
        System.arraycopy(bytes, 0, out, offset + size - bytes.length, bytes.length);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void member(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":\"").append(value).append("\",");
    }

    /** A random source that yields the given bytes, to have a key pair generator rebuild a known key pair. */
    private static final class FixedBytesRandom extends SecureRandom {
        private final byte[] bytes;

        FixedBytesRandom(byte[] bytes) {
            super(new NoSpi(), null);
            this.bytes = bytes;
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("unexpected request for " + out.length + " random bytes");
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }

    private static final class NoSpi extends SecureRandomSpi {
        @Override
        protected void engineSetSeed(byte[] seed) {
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            throw new UnsupportedOperationException();
        }
    }
}
