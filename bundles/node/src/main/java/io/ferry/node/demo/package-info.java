/**
 * The node's end-to-end tour: the {@link io.ferry.node.demo.DemoRunner runner} that runs every
 * {@link io.ferry.api.demo.DemoStep} service in order, each bounded by its timeout; the
 * {@code ferry:demo} command; the node's own {@code node: status} step; and the headless mode
 * ({@code ferry.demo=true}) that runs the tour once the node has settled and exits with its
 * result. Private to the node bundle.
 */
package io.ferry.node.demo;
