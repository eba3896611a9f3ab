/**
 * Weight initialization (uniform, normal, Xavier/Glorot, Kaiming/He), each drawing from an
 * explicit seeded generator. Depends on nn-core only.
 */
package dev.nn.layers.init;
