/** Policy evaluation shared by the scanner and policy-service; plain Java, no I/O. */
package io.portcullis.policy.engine;
