/**
 * picocli, compiled from its unchanged sources with {@code --release 25}: the descriptor is the one
 * the upstream jar carries (META-INF/versions/9/module-info.class).
 */
module info.picocli {
    requires static java.sql;

    exports picocli;
}
