/**
 * The messenger as OSGi services: a Declarative Services component per configuration (PID
 * {@code io.ferry.messenger}, also as a factory PID for several messengers) that runs an
 * {@code AsyncMessenger} on the {@code NetworkStack} its {@code stack.target} filter selects,
 * registers it as a {@link io.ferry.api.msgr.Messenger} service, and hands received messages to
 * {@link io.ferry.api.msgr.Dispatcher} services (the whiteboard, by their {@code ferry.msgr.types}
 * property).
 *
 * <p>Threading: DS calls the component's methods on its own threads, serialized per component;
 * whiteboard dispatchers are called on the connections' event-loop threads.
 */
package io.ferry.messenger.component;
