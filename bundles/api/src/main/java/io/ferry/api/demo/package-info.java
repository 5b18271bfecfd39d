/**
 * Steps of the node's end-to-end tour ({@code ./ferry demo}): every subsystem registers
 * {@link io.ferry.api.demo.DemoStep} services, and the node runs them in order and reports one row each.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.ferry.api.demo;
