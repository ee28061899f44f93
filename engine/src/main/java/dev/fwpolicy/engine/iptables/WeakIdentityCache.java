package dev.fwpolicy.engine.iptables;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values derived from objects, kept while the object lives: keyed by the object itself (identity,
 * weakly). IR values are records that compare by value, and hashing a whole rule or chain on
 * every lookup would cost as much as deriving the value again.
 */
final class WeakIdentityCache<K, V> {
    private final ConcurrentHashMap<Object, V> values = new ConcurrentHashMap<>();
    private final ReferenceQueue<K> gone = new ReferenceQueue<>();

    V get(K key, Function<K, V> derive) {
        V v = values.get(new Probe(key));
        if (v != null) return v;
        v = derive.apply(key);
        put(key, v);
        return v;
    }

    void put(K key, V value) {
        for (Object k; (k = gone.poll()) != null; ) values.remove(k);
        values.put(new Key<>(key, gone), value);
    }

    /** The stored key: a weak reference that compares by the identity of its referent. */
    private static final class Key<K> extends WeakReference<K> {
        private final int hash;

        Key(K referent, ReferenceQueue<K> queue) {
            super(referent, queue);
            hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) return true;
            Object mine = get();
            return mine != null && (o instanceof Key<?> k ? k.get() == mine : o instanceof Probe p && p.key == mine);
        }
    }

    /** A lookup key: no reference object (and no queue) for every question. */
    private static final class Probe {
        private final Object key;

        Probe(Object key) {
            this.key = key;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key<?> k && k.get() == key;
        }
    }
}
