package io.portcullis.scanner.engine;

import io.portcullis.scanner.support.TestMessages;

/** Synthetic messages for the Bayes engine, written for these tests (nothing from the training corpus). */
public final class BayesMessages {
    /** An obvious pill-and-money spam in HTML. */
    public static final byte[] SPAM = TestMessages.crlf("""
            From: "Best Deals" <offers@cheap-meds-online.test>
            To: <bob@example.com>
            Subject: LOWEST PRICES!!! Viagra and Cialis - 80% OFF, order now
            Message-ID: <bayes-spam@test>
            MIME-Version: 1.0
            Content-Type: text/html; charset=us-ascii

            <html><body><p>Dear friend,</p><p>Make MONEY FAST from home! Guaranteed income of $5000 per week, no
            experience needed.</p><p><b>Click here</b> to claim your FREE offer:
            <a href="http://cheap-meds-online.test/buy">http://cheap-meds-online.test/buy</a></p>
            <p>Limited time only!!! Act now, this offer expires soon. 100% satisfaction guaranteed, risk free.</p>
            <p>Lose weight fast, refinance your mortgage at the lowest rates, credit card debt eliminated.</p>
            <p>To be removed from our mailing list, click here to unsubscribe.</p></body></html>
            """);

    /** A plain colleague-to-colleague note. */
    public static final byte[] HAM = TestMessages.crlf("""
            From: <alice@example.net>
            To: <bob@example.com>
            Subject: Re: meeting notes for the kernel patch review
            Message-ID: <bayes-ham@test>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            Hi Bob,

            Thanks for sending the notes. I looked at the patch again this morning and I think the
            locking change in the scheduler is fine, but we should run the regression tests on the
            build server before we merge it. Could you also update the documentation in the README?

            I will be in the office on Thursday if you want to discuss the remaining issues.

            Cheers,
            Alice
            """);

    private BayesMessages() {
    }
}
