package io.portcullis.scanner.spam;

import io.portcullis.spam.LearnedCounts;
import java.util.List;

/** Where learned counts are fetched whole: policy-service's {@code GET /api/v1/spam/learned}. */
public interface LearnedCountsSource {

    /** Model tenants that have learned something. */
    List<String> tenants();

    /** One model tenant's counts, whole, with the sequence they include (sequence 0 when nothing was learned). */
    LearnedCounts fetch(String tenant);
}
