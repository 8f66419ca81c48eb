/// `{Name}-{NNNN}` participant names from the original's 60 words (sea animals, land animals, celestial objects).
public enum ParticipantNames {
    static let words = [
        "BlueWhale", "Dolphin", "Orca", "Seahorse", "Octopus", "Starfish", "Jellyfish", "Stingray", "Turtle", "Shark",
        "Narwhal", "Manatee", "Walrus", "SeaOtter", "Penguin", "Pelican", "Coral", "Barracuda", "Marlin", "Swordfish",
        "Tiger", "Lion", "Panther", "Leopard", "Cheetah", "Wolf", "Fox", "Bear", "Eagle", "Falcon",
        "Hawk", "Owl", "Elephant", "Giraffe", "Zebra", "Rhino", "Gazelle", "Jaguar", "Lynx", "Bison",
        "Orion", "Phoenix", "Andromeda", "Pegasus", "Sirius", "Vega", "Polaris", "Nebula", "Comet", "Aurora",
        "Galaxy", "Nova", "Pulsar", "Quasar", "Eclipse", "Meteor", "Cosmos", "Zenith", "Lyra", "Draco",
    ]

    public static func make() -> String {
        "\(words.randomElement() ?? "Phoenix")-\(Int.random(in: 1000...9999))"
    }
}
