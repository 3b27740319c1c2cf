/**
 * DLP templates: payment cards, IBANs, US SSNs, email and phone lists, keyword proximity and custom
 * dictionary/keyword/pattern/proximity templates. Each scans text before a deadline and reports a count, at most
 * five redacted samples (never the full secret) and explicit {@code timedOut}/{@code truncated} flags.
 */
package io.portcullis.policy.engine.dlp;
