package io.portcullis.scanner.engine;

/** Test messages for the spam rule engine. */
public final class SpamRulesMessages {
    /**
     * Bulk mail that hits several shipped rules: SUBJ_ADV, SUBJ_EXCLAIM, SUBJ_FREE, MSGID_OUTLOOK_INVALID,
     * BODY_NOT_SPAM_CLAIM, URI_IP_LITERAL (and a few more).
     */
    public static final String BULK = """
            From: "Deals" <deals123456789@bulk.example>
            To: someone@example.test
            Subject: ADV: Free offer inside!!!
            Message-Id: <005e10c17e1c$7155d7a4$2ea13ce8@sevuem>
            Date: Tue, 27 Aug 2002 05:19:21 -0100
            MIME-Version: 1.0
            Content-Type: text/plain; charset="iso-8859-1"

            Dear friend,
            this is not spam: you have been selected for our limited time offer.
            Visit http://192.0.2.44/offer now. To be removed from our list reply with remove in the subject.
            """;

    /** A plain reply in a thread (REPLY_THREADED, negative score). */
    public static final String REPLY = """
            From: Ann <ann@example.test>
            To: bob@example.test
            Subject: Re: meeting notes
            Message-ID: <20240101100000.1234@example.test>
            In-Reply-To: <abc@example.test>
            References: <abc@example.test>
            Date: Mon, 1 Jan 2024 10:00:00 +0000

            Thanks Bob, the notes look fine.
            """;

    private SpamRulesMessages() {
    }
}
