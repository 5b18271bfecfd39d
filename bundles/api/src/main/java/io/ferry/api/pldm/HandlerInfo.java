package io.ferry.api.pldm;

/**
 * A file-type handler as the service sees it (for {@code pldm:handlers}). Immutable; any thread.
 *
 * @param fileType the IBM file type
 * @param name the handler's name
 * @param implementation the handler's class name
 */
public record HandlerInfo(int fileType, String name, String implementation) {
}
