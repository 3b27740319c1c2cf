package io.portcullis.policy.api;

/** {@code POST /api/v1/ip-profiler/allow}: an IP or CIDR block to allow-list, with an optional note. */
public record AllowRequest(String ip, String note) {
}
