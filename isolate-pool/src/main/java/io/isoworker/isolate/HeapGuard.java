package io.isoworker.isolate;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Watches the heap after each garbage collection and, while what survives the collection stays above a share of the
 * maximum heap, asks for isolates to be recycled (at most one a second). GraalJS community edition cannot tell the
 * heap one context retains, so this is the guard against memory that allocation budgets do not catch: a slow leak in
 * module state, a little per request, is garbage nobody collects until its isolate goes.
 */
final class HeapGuard implements AutoCloseable {

    /** Told the heap in use after a collection and the maximum, in bytes; recycles one isolate. */
    interface Pressure {
        void relieve(long usedAfterGc, long maxHeap);
    }

    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private final int percent;
    private final Pressure pressure;
    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    private long lastAction = System.nanoTime() - MIN_INTERVAL_NANOS;

    /** @param percent the share of the maximum heap (1-100) above which isolates are recycled */
    HeapGuard(int percent, Pressure pressure) {
        this.percent = percent;
        this.pressure = pressure;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        if (used * 100 <= (long) percent * max) {
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastAction < MIN_INTERVAL_NANOS) {
                return;
            }
            lastAction = now;
        }
        pressure.relieve(used, max);
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
    }
}
