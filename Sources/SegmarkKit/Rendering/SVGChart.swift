/// Inline SVG bar charts drawn by the project (no JavaScript), each with a table beside it in the page.
public enum SVGChart {
    /// Vertical bars with an optional second series drawn over the first.
    public static func bars(title: String, labels: [String], values: [Int], overlay: [Int]? = nil) -> String {
        guard !values.isEmpty else { return "" }
        let width = max(320, labels.count * 28 + 60), height = 180
        let maxValue = max(1, values.max() ?? 1)
        let plotH = 130.0, barW = Double(width - 60) / Double(values.count)
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"\(HTMLEscaping.text(title))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(HTMLEscaping.text(title))</title>"
        svg += "<line x1=\"40\" y1=\"140\" x2=\"\(width - 10)\" y2=\"140\" stroke=\"#d8dde4\"/>"
        svg += "<text x=\"4\" y=\"14\">\(maxValue)</text><text x=\"4\" y=\"140\">0</text>"
        for (i, v) in values.enumerated() {
            let h = plotH * Double(v) / Double(maxValue)
            let x = 44 + Double(i) * barW
            svg += "<rect class=\"bar\" x=\"\(fmt(x))\" y=\"\(fmt(140 - h))\" width=\"\(fmt(barW * 0.7))\" height=\"\(fmt(h))\"><title>\(HTMLEscaping.text(labels[i])): \(v)</title></rect>"
            if let overlay, i < overlay.count, overlay[i] > 0 {
                let h2 = plotH * Double(overlay[i]) / Double(maxValue)
                svg += "<rect class=\"bar2\" x=\"\(fmt(x + barW * 0.2))\" y=\"\(fmt(140 - h2))\" width=\"\(fmt(barW * 0.3))\" height=\"\(fmt(h2))\"/>"
            }
            if labels.count <= 16 || i % max(1, labels.count / 8) == 0 {
                svg += "<text x=\"\(fmt(x))\" y=\"156\" transform=\"rotate(30 \(fmt(x)) 156)\">\(HTMLEscaping.text(labels[i]))</text>"
            }
        }
        svg += "</svg>"
        return svg
    }

    static func fmt(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
