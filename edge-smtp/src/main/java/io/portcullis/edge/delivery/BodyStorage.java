package io.portcullis.edge.delivery;

import java.io.IOException;
import java.io.InputStream;

/** Read access to message bodies in object storage. */
public interface BodyStorage {

    /**
     * Opens an object for streaming; the caller closes the stream.
     *
     * @throws java.io.FileNotFoundException when the object does not exist
     * @throws IOException                   when storage cannot be reached or fails
     */
    InputStream open(String bucket, String key) throws IOException;
}
