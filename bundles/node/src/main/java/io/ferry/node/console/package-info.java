/**
 * The node's console: {@code ferry:status} and {@code ferry:demo}, registered as plain DS
 * components with {@code osgi.command.scope}/{@code osgi.command.function} service properties so
 * that Felix Gogo and Karaf's shell both pick them up, and the {@link
 * io.ferry.node.console.NodeInventory inventory} of Ferry bundles and services they report on.
 * Private to the node bundle.
 */
package io.ferry.node.console;
