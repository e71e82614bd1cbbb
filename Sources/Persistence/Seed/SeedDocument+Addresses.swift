import Foundation

extension SeedDocument {
    /// contracts.md §6: `rdv seed` loads a small generated sample of BAN addresses for its demo
    /// territory, so the address service answers offline: a few streets of each town, numbers
    /// 1–30 a few metres apart (made up, in the BAN file's shape).
    public static var addressSample: [BANAddress] {
        let streets = [
            ("Rue de la Paix", "0420"), ("Rue Victor Hugo", "0735"), ("Place de la Mairie", "0512"),
            ("Avenue Jean Jaurès", "0338"), ("Rue de l'Église", "0190"), ("Boulevard de Strasbourg", "0105"),
        ]
        return towns.flatMap { town in
            streets.enumerated().flatMap { index, street in
                (1...30).map { number in
                    BANAddress(
                        housenumber: "\(number)", street: street.0, streetID: "\(town.code)_\(street.1)",
                        postCode: town.post, cityCode: town.code, city: town.name,
                        latitude: town.lat + Double(index) * 0.002 + Double(number) * 0.00005,
                        longitude: town.lon + Double(index) * 0.002 - Double(number) * 0.00005)
                }
            }
        }
    }
}
