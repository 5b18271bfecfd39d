package io.ferry.pldm.component;

/**
 * The PLDM transfer service's counters over JMX, registered as
 * {@value TransferServiceMBeanRegistration#OBJECT_NAME} while the service component is active.
 * Values are read live from the running engine (after a restart, from the new one). Any thread;
 * reads are racy snapshots.
 */
public interface TransferServiceMXBean {
    /** @return DMA transfers running now. */
    int getInFlight();

    /** @return transfers answered SUCCESS. */
    long getCompleted();

    /** @return transfers answered with an error after they started. */
    long getFailed();

    /** @return DMA transfers cancelled by the timeout. */
    long getTimedOut();

    /** @return DMA transfers dropped because the terminus went away or the engine stopped. */
    long getAbandoned();

    /** @return bytes moved by completed transfers. */
    long getBytes();

    /** @return PLDM requests received. */
    long getRequests();

    /** @return requests refused before a transfer started. */
    long getRefused();

    /** @return unanswerable messages dropped. */
    long getStrays();

    /** @return the file types served. */
    int[] getFileTypes();

    /** @return one line: tid, DMA engine, window, timeout, endpoint, local terminals. */
    String getDescription();
}
