package io.portcullis.policy.storage;

/** The bucket or object does not exist. Not transient: retrying will not make it appear. */
public class ObjectNotFoundException extends ObjectStoreException {
    public ObjectNotFoundException(String bucket, String key) {
        super("no object " + bucket + "/" + key);
    }
}
