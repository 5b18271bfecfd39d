/**
 * The PLDM steps of the node's end-to-end tour ({@code ./ferry demo}, {@code ferry:demo}),
 * registered as {@link io.ferry.api.demo.DemoStep} services: a PEL written and read back, a dump
 * offloaded and read back, and a stalled transfer that times out cleanly — each through an
 * in-node remote-terminus simulator. Steps start their work and return at once; nothing blocks.
 */
package io.ferry.pldm.demo;
