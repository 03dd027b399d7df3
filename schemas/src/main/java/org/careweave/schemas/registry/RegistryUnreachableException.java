package org.careweave.schemas.registry;

import java.net.URI;
import java.util.List;

/** No configured registry URL could be reached (connection refused, timed out, TLS failure, ...). */
public final class RegistryUnreachableException extends SchemaRegistryException {

    private final List<URI> urls;

    public RegistryUnreachableException(String message, List<URI> urls, Throwable cause) {
        super(message, NONE, NONE, cause);
        this.urls = List.copyOf(urls);
    }

    /** The registry URLs that were tried, in order, without credentials. */
    public List<URI> urls() {
        return urls;
    }
}
