package io.isoworker.api.host;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The key material behind a guest {@code CryptoKey}: secret bytes, a public key, or a private key (with its public
 * key once known). It has no members guest code could call, and only the prelude's {@code CryptoKey} holds it.
 */
public final class CryptoKeyHandle {

    final byte[] secret;
    final PublicKey publicKey;
    final PrivateKey privateKey;
    private PublicKey derivedPublic;

    private CryptoKeyHandle(byte[] secret, PublicKey publicKey, PrivateKey privateKey) {
        this.secret = secret;
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    static CryptoKeyHandle secret(byte[] bytes) {
        return new CryptoKeyHandle(bytes, null, null);
    }

    static CryptoKeyHandle ofPublic(PublicKey key) {
        return new CryptoKeyHandle(null, key, null);
    }

    /** @param publicKey the matching public key, or null when it is not known yet */
    static CryptoKeyHandle ofPrivate(PrivateKey key, PublicKey publicKey) {
        CryptoKeyHandle handle = new CryptoKeyHandle(null, null, key);
        handle.derivedPublic = publicKey;
        return handle;
    }

    boolean isSecret() {
        return secret != null;
    }

    /** The public half of a private key (computed once, on first use), or the public key itself. */
    PublicKey publicHalf() {
        if (publicKey != null) {
            return publicKey;
        }
        if (derivedPublic == null) {
            derivedPublic = CryptoKeyCodec.publicFromPrivate(privateKey);
        }
        return derivedPublic;
    }
}
