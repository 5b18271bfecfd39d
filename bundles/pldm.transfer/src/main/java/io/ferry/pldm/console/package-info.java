/**
 * The {@code pldm:} console commands ({@code pldm:transfers}, {@code pldm:handlers},
 * {@code pldm:files}, {@code pldm:read}, {@code pldm:write}) as Gogo functions declared by service
 * properties, so Felix's Gogo and Karaf's shell both run them. The commands run on the shell's
 * thread; they wait (bounded) for transfers but never on an event loop.
 */
package io.ferry.pldm.console;
