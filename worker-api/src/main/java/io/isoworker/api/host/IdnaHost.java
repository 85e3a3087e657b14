package io.isoworker.api.host;

import java.util.EnumSet;
import java.util.Set;

import com.ibm.icu.text.IDNA;

import org.graalvm.polyglot.HostAccess;

/**
 * Domain to ASCII for the URL parser: UTS #46 ToASCII with the URL Standard's parameters (CheckHyphens=false,
 * CheckBidi=true, CheckJoiners=true, UseSTD3ASCIIRules=false, Transitional_Processing=false,
 * VerifyDnsLength=false). The prelude calls it only for hosts that are not plain ASCII or that hold an
 * {@code xn--} label. Stateless and thread-safe.
 */
public final class IdnaHost {

    static final IdnaHost INSTANCE = new IdnaHost();

    /** ICU always reports these; CheckHyphens=false and VerifyDnsLength=false make them no errors. */
    private static final Set<IDNA.Error> IGNORED = EnumSet.of(IDNA.Error.LEADING_HYPHEN, IDNA.Error.TRAILING_HYPHEN,
            IDNA.Error.HYPHEN_3_4, IDNA.Error.EMPTY_LABEL, IDNA.Error.LABEL_TOO_LONG,
            IDNA.Error.DOMAIN_NAME_TOO_LONG);

    private IdnaHost() {
    }

    /** Loaded on first use: ICU's data takes a while to load, and most processes never see a non-ASCII host. */
    private static final class Uts46 {
        static final IDNA INSTANCE = IDNA.getUTS46Instance(IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ
                | IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.NONTRANSITIONAL_TO_UNICODE);
    }

    /** The ASCII form of {@code domain}, or {@code null} when UTS #46 processing fails. */
    @HostAccess.Export
    public String toAscii(String domain) {
        IDNA.Info info = new IDNA.Info();
        StringBuilder out = new StringBuilder(domain.length() + 16);
        Uts46.INSTANCE.nameToASCII(domain, out, info);
        for (IDNA.Error error : info.getErrors()) {
            if (!IGNORED.contains(error)) {
                return null;
            }
        }
        return out.toString();
    }
}
