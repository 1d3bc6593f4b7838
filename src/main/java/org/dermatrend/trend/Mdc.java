package org.dermatrend.trend;

import org.dermatrend.metric.MetricKey;

/**
 * A metric's minimal detectable change, from a repeatability study of unchanged skin.
 *
 * @param key      the metric
 * @param sem      standard error of measurement: the pooled within-skin standard deviation of the
 *                 metric over re-photographs of unchanged skin, in the metric's units
 * @param mdc95    1.96 · √2 · SEM: a change between two sessions smaller than this is within the
 *                 noise 95 % of the time
 * @param skins    skins in the study
 * @param sessions photographs per skin
 */
public record Mdc(MetricKey key, double sem, double mdc95, int skins, int sessions) {
    public static final double FACTOR = 1.96 * Math.sqrt(2);

    public static Mdc ofSem(MetricKey key, double sem, int skins, int sessions) {
        return new Mdc(key, sem, FACTOR * sem, skins, sessions);
    }
}
