package io.statetrail.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How {@code ./statetrail query} asks for a request record's parameter: the placeholder of its value in the help, and
 * the option's name where the CLI's differs from the API's (the API's {@code stateKey} is the CLI's {@code --state}).
 * The description is the parameter's OpenAPI one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Cli {

    /** The value's placeholder, e.g. {@code TIME}. */
    String label();

    /** The option's name; default {@code --} and the parameter's name. */
    String option() default "";

    /** The command's argument rather than an option (the state key of {@code query state}). */
    boolean positional() default false;
}
