import Foundation

/// Welch's unequal-variances t-test, two-sided: is the difference between two sets of repetitions
/// more than noise? (hyperfine's `welch_ttest.py` uses the same test.)
public struct WelchTest: Sendable, Equatable {
    public static let name = "Welch's t-test, two-sided, 95%"
    public static let alpha = 0.05

    public var t: Double
    public var degreesOfFreedom: Double
    public var p: Double

    public var significant: Bool { p < Self.alpha }

    /// `nil` when either side has fewer than 2 samples: there is no spread to test against.
    public init?(_ a: [Double], _ b: [Double]) {
        guard a.count >= 2, b.count >= 2, let sa = Summary(a), let sb = Summary(b) else { return nil }
        let va = sa.stddev * sa.stddev / Double(a.count)
        let vb = sb.stddev * sb.stddev / Double(b.count)
        let se = (va + vb).squareRoot()
        if se == 0 {
            // Both sides constant: any difference at all is certain.
            t = sa.mean == sb.mean ? 0 : .infinity
            degreesOfFreedom = Double(a.count + b.count - 2)
            p = sa.mean == sb.mean ? 1 : 0
            return
        }
        t = (sb.mean - sa.mean) / se
        let na1 = Double(a.count - 1)
        let nb1 = Double(b.count - 1)
        let numerator: Double = (va + vb) * (va + vb)
        let partA: Double = va * va / na1
        let partB: Double = vb * vb / nb1
        let denominator = partA + partB
        let df = numerator / denominator
        degreesOfFreedom = df
        // Two-sided p from Student's t: I_{df/(df+t²)}(df/2, 1/2).
        let x: Double = df / (df + t * t)
        p = Self.regularizedIncompleteBeta(x, df / 2, 0.5)
    }

    /// I_x(a, b) by Lentz's continued fraction (Numerical Recipes §6.4).
    static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let lnPowers: Double = a * log(x) + b * log(1 - x)
        let lnFront = lnGammas + lnPowers
        if x > (a + 1) / (a + b + 2) {
            return 1 - regularizedIncompleteBeta(1 - x, b, a)
        }
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...300 {
            let m = Double(m)
            let even: Double = (a + 2 * m - 1) * (a + 2 * m)
            var numerator: Double = m * (b - m) * x / even
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            f *= d * c
            let odd: Double = (a + 2 * m) * (a + 2 * m + 1)
            numerator = -(a + m) * (a + b + m) * x / odd
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-12 { break }
        }
        return exp(lnFront) * f / a
    }
}
