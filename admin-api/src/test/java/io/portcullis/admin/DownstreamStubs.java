package io.portcullis.admin;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts one stub per downstream service and points admin-api at them. */
public class DownstreamStubs implements QuarkusTestResourceLifecycleManager {
    public static DownstreamStub policy;
    public static DownstreamStub quarantine;
    public static DownstreamStub report;

    @Override
    public Map<String, String> start() {
        policy = new DownstreamStub("policy");
        quarantine = new DownstreamStub("quarantine");
        report = new DownstreamStub("report");
        return Map.of("portcullis.admin.policy-url", policy.url(),
                "portcullis.admin.quarantine-url", quarantine.url(),
                "portcullis.admin.report-url", report.url());
    }

    @Override
    public void stop() {
        policy.stop();
        quarantine.stop();
        report.stop();
    }

    public static void resetAll() {
        policy.reset();
        quarantine.reset();
        report.reset();
    }
}
