package org.lmrec.data;

import java.util.List;

/**
 * Word lists for the synthetic catalog: each latent category gets a theme whose nouns, style words,
 * brands and use phrases appear only in that theme, so its items' text reveals the category (what a
 * language model is supposed to pick up).
 */
final class SyntheticVocabulary {
  /** One product theme. */
  record Theme(String name, String department, List<String> nouns, List<String> styles, List<String> brands, List<String> uses) {}

  /**
   * Prefixed to a theme's words when there are more categories than themes, so that the category is
   * still visible in the text ("Kids Hiking", "Travel Hiking", ...).
   */
  static final List<String> SERIES =
      List.of("Kids", "Travel", "Professional", "Vintage", "Eco", "Compact", "Premium", "Budget", "Outdoor", "Studio");

  /** Descriptors shared by all themes: they vary the titles without telling the categories apart. */
  static final List<String> FINISHES =
      List.of("Classic", "Plus", "Pro", "Mini", "Deluxe", "Lite", "Max", "Original", "Select", "Prime", "Edition 2", "Signature");

  static final List<Theme> THEMES =
      List.of(
          new Theme("Hiking", "Sports & Outdoors, Hiking",
              List.of("Hiking Boots", "Trail Backpack", "Trekking Poles", "Hiking Socks", "Hydration Pack", "Trail Map Case"),
              List.of("Crimson Trail", "Summit", "Alpine Ridge", "Backcountry", "Switchback", "Timberline"),
              List.of("Peakline", "Trailcraft", "Ridgeway"),
              List.of("for long mountain trails", "built for rocky summit hikes", "for multi-day treks in the backcountry")),
          new Theme("Cookware", "Home & Kitchen, Cookware",
              List.of("Frying Pan", "Stock Pot", "Dutch Oven", "Saucepan", "Wok", "Griddle"),
              List.of("Cast Iron", "Nonstick", "Copper Core", "Chef's", "Tri-Ply", "Ceramic"),
              List.of("Hearthwell", "Panmaster", "Copperleaf"),
              List.of("for searing and sauteing", "that heats evenly on any stovetop", "for slow braises and stews")),
          new Theme("Coffee", "Grocery, Coffee",
              List.of("Whole Bean Coffee", "Ground Coffee", "Espresso Pods", "Cold Brew Concentrate", "Coffee Sampler", "Decaf Roast"),
              List.of("Dark Roast", "Single Origin", "Colombian", "Ethiopian Yirgacheffe", "House Blend", "Morning Roast"),
              List.of("Bean & Kettle", "Roastery Row", "Crema Coast"),
              List.of("roasted in small batches for a rich cup", "with notes of chocolate and caramel", "for espresso and drip brewing")),
          new Theme("Stationery", "Office Products, Writing Supplies",
              List.of("Gel Pens", "Spiral Notebook", "Sticky Notes", "Highlighters", "Fountain Pen", "Desk Planner"),
              List.of("Fine Point", "College Ruled", "Pastel", "Executive", "Quick-Dry", "Undated"),
              List.of("Inkwell", "Paperfield", "Notewise"),
              List.of("for note taking in class and at the office", "for smooth everyday writing", "to organize meetings and deadlines")),
          new Theme("Video Games", "Video Games, Consoles & Games",
              List.of("Game Controller", "Racing Game", "Role-Playing Game", "Gaming Headset", "Memory Card", "Fighting Game"),
              List.of("Wireless", "Legendary", "Turbo", "Open-World", "Retro Arcade", "Multiplayer"),
              List.of("Pixelforge", "Nexon Arcade", "Respawn Labs"),
              List.of("for epic boss battles and online co-op", "with split-screen multiplayer", "for hours of console adventure")),
          new Theme("Headphones", "Electronics, Headphones & Audio",
              List.of("Over-Ear Headphones", "Wireless Earbuds", "Bluetooth Speaker", "Studio Monitors", "Headphone Amplifier", "Soundbar"),
              List.of("Noise-Cancelling", "Bass Boost", "Hi-Fi", "True Wireless", "Audiophile", "Surround"),
              List.of("Sonique", "Audiora", "Bassline"),
              List.of("with deep bass and crisp highs", "for music lovers on the go", "with long battery life and clear calls")),
          new Theme("Photography", "Electronics, Camera & Photo",
              List.of("Mirrorless Camera", "Zoom Lens", "Camera Tripod", "Lens Filter Kit", "Camera Bag", "Flash Speedlight"),
              List.of("Full-Frame", "Telephoto", "Wide-Angle", "Carbon Fiber", "Macro", "Weather-Sealed"),
              List.of("Lumenar", "Shutterline", "Aperture One"),
              List.of("for sharp landscape and portrait shots", "for low-light photography", "for photographers who travel light")),
          new Theme("Gardening", "Patio, Lawn & Garden",
              List.of("Garden Hose", "Pruning Shears", "Raised Garden Bed", "Seed Starter Kit", "Compost Bin", "Watering Can"),
              List.of("Heirloom", "Heavy-Duty", "Organic", "Expandable", "Cedar", "Greenhouse"),
              List.of("Greenthumb", "Bloomfield", "Rootstock"),
              List.of("for vegetable beds and flower borders", "to grow tomatoes and herbs", "for healthy soil and strong seedlings")),
          new Theme("Dog Supplies", "Pet Supplies, Dogs",
              List.of("Dog Leash", "Chew Toy", "Dog Bed", "Puppy Treats", "Dog Harness", "Grooming Brush"),
              List.of("Tug-Proof", "Orthopedic", "Reflective", "Grain-Free", "No-Pull", "Squeaky"),
              List.of("Pawsome", "Barkley & Co", "Happy Tails"),
              List.of("for puppies and large breeds", "for daily walks in the park", "to keep your dog happy and calm")),
          new Theme("Baby", "Baby Products, Nursery",
              List.of("Baby Bottle", "Swaddle Blanket", "Teething Ring", "Diaper Bag", "Baby Monitor", "Pacifier Set"),
              List.of("Newborn", "Anti-Colic", "Organic Cotton", "Soothing", "BPA-Free", "Nursery"),
              List.of("Little Sprout", "Cuddlebug", "Lullaby Lane"),
              List.of("for newborns and infants", "gentle on sensitive baby skin", "to help parents through night feeds")),
          new Theme("Skin Care", "Beauty, Skin Care",
              List.of("Face Serum", "Moisturizing Cream", "Cleansing Gel", "Sunscreen Lotion", "Eye Cream", "Clay Mask"),
              List.of("Hyaluronic", "Vitamin C", "Retinol", "Fragrance-Free", "Hydrating", "Brightening"),
              List.of("Dermaglow", "Pure Petal", "Lumiskin"),
              List.of("for dry and sensitive skin", "to reduce fine lines and dark spots", "for a dewy morning glow")),
          new Theme("Fitness", "Sports & Outdoors, Exercise & Fitness",
              List.of("Yoga Mat", "Adjustable Dumbbells", "Resistance Bands", "Kettlebell", "Jump Rope", "Foam Roller"),
              List.of("Non-Slip", "Home Gym", "Heavy Resistance", "Cardio", "Strength", "High-Density"),
              List.of("Ironform", "Flexcore", "Pulsefit"),
              List.of("for home workouts and strength training", "for yoga, pilates and stretching", "to build muscle and endurance")),
          new Theme("Cycling", "Sports & Outdoors, Cycling",
              List.of("Bike Helmet", "Bike Lights", "Cycling Jersey", "Bike Pump", "Bike Lock", "Saddle Bag"),
              List.of("Aero", "Road Racing", "Mountain Bike", "Commuter", "Gravel", "Carbon"),
              List.of("Spokewise", "Velocraft", "Chainring"),
              List.of("for road rides and daily commutes", "for mountain bike trails", "to keep cyclists safe at night")),
          new Theme("Mystery Novels", "Books, Mystery & Thriller",
              List.of("Detective Novel", "Crime Thriller", "Murder Mystery", "Noir Paperback", "Whodunit Collection", "Suspense Novel"),
              List.of("The Silent Witness", "Midnight Alibi", "The Locked Room", "Cold Case", "The Last Clue", "Shadow Inspector"),
              List.of("Blackquill Press", "Harbor Crime Books", "Inkshadow"),
              List.of("a detective hunts a killer through a rainy city", "a twisty murder investigation with a shocking ending", "a classic whodunit set in a country manor")),
          new Theme("Science Fiction", "Books, Science Fiction & Fantasy",
              List.of("Space Opera", "Sci-Fi Novel", "Cyberpunk Thriller", "Galactic Saga", "Time Travel Novel", "Alien Contact Story"),
              List.of("Starfall", "The Quantum Gate", "Nebula Drift", "Android Dawn", "The Last Colony", "Warp Horizon"),
              List.of("Orbit House", "Starship Books", "Farlight Press"),
              List.of("a starship crew explores a distant galaxy", "robots and rebels fight over a future Earth", "first contact with an alien civilisation")),
          new Theme("Board Games", "Toys & Games, Board Games",
              List.of("Strategy Board Game", "Card Game", "Party Game", "Cooperative Game", "Dice Game", "Puzzle Game"),
              List.of("Kingdom Builder", "Dragon Dice", "Settlers", "Deck-Building", "Family Night", "Tabletop"),
              List.of("Meeple Works", "Roll & Play", "Gameboard Guild"),
              List.of("for 2 to 6 players at family game night", "with strategy, trading and dice rolls", "a fast party game for friends")),
          new Theme("Guitars", "Musical Instruments, Guitars",
              List.of("Acoustic Guitar", "Electric Guitar", "Guitar Strings", "Guitar Amplifier", "Capo", "Guitar Pedal"),
              List.of("Dreadnought", "Solid Spruce", "Humbucker", "Overdrive", "Vintage Tone", "Fingerstyle"),
              List.of("Fretwell", "Stringcraft", "Tonewood"),
              List.of("for rich chords and smooth solos", "for beginners learning to strum", "with warm tone for stage and studio")),
          new Theme("Power Tools", "Tools & Home Improvement, Power Tools",
              List.of("Cordless Drill", "Circular Saw", "Impact Driver", "Orbital Sander", "Jigsaw", "Drill Bit Set"),
              List.of("Brushless", "20V Max", "Heavy-Duty", "Variable Speed", "Contractor", "Lithium-Ion"),
              List.of("Torquemax", "Buildright", "Ironclad Tools"),
              List.of("for woodworking and home renovation", "with long-lasting battery for job sites", "to drill, cut and sand with precision")),
          new Theme("Car Care", "Automotive, Car Care",
              List.of("Car Wax", "Microfiber Towels", "Tire Shine", "Dash Camera", "Car Vacuum", "Wiper Blades"),
              List.of("Showroom", "Ceramic Coat", "Streak-Free", "All-Weather", "Detailing", "Turbo Clean"),
              List.of("Autoshine", "Roadready", "Gearhead"),
              List.of("for a glossy showroom finish", "to keep your car clean on the road", "for detailing interiors and wheels")),
          new Theme("Fishing", "Sports & Outdoors, Fishing",
              List.of("Fishing Rod", "Spinning Reel", "Tackle Box", "Fishing Lures", "Fishing Line", "Landing Net"),
              List.of("Bass Pro", "Fly Fishing", "Saltwater", "Ultralight", "Trout Stream", "Deep Sea"),
              List.of("Reelcast", "Tidewater", "Hook & Line"),
              List.of("for bass, trout and pike", "for lake and river fishing trips", "to land the big catch offshore")),
          new Theme("Tea", "Grocery, Tea",
              List.of("Loose Leaf Tea", "Tea Bags", "Matcha Powder", "Herbal Infusion", "Chai Blend", "Tea Sampler"),
              List.of("Earl Grey", "Jasmine Green", "Oolong", "Chamomile", "Darjeeling", "Rooibos"),
              List.of("Leaf & Lantern", "Teahouse Garden", "Steepwell"),
              List.of("steeped for a calming afternoon cup", "with floral aroma and gentle caffeine", "hand-picked from high mountain gardens")),
          new Theme("Art Supplies", "Arts, Crafts & Sewing, Painting",
              List.of("Watercolor Set", "Acrylic Paints", "Sketchbook", "Paint Brushes", "Canvas Panels", "Colored Pencils"),
              List.of("Artist Grade", "Professional Pigment", "Cold Press", "Blendable", "Vibrant", "Fine Art"),
              List.of("Palette & Co", "Brushstroke", "Easelwood"),
              List.of("for painting landscapes and portraits", "for sketching and illustration", "for artists and art students")),
          new Theme("Camping", "Sports & Outdoors, Camping",
              List.of("Camping Tent", "Sleeping Bag", "Camp Stove", "Lantern", "Camping Hammock", "Cooler"),
              List.of("4-Season", "Ultralight", "Waterproof", "Family Size", "Campfire", "Pop-Up"),
              List.of("Campcraft", "Emberwood", "Starlit Outdoors"),
              List.of("for weekend camping under the stars", "for campsites and festivals", "to stay warm and dry outdoors")),
          new Theme("Computer Accessories", "Computers, Accessories",
              List.of("Mechanical Keyboard", "Wireless Mouse", "USB-C Hub", "Laptop Stand", "Webcam", "External SSD"),
              List.of("RGB Backlit", "Ergonomic", "Ultra-Slim", "4K", "Plug-and-Play", "High-Speed"),
              List.of("Keystone Tech", "Bytelink", "Cortex Devices"),
              List.of("for home office and gaming setups", "to speed up your laptop workflow", "for fast file transfers and video calls")));

  private SyntheticVocabulary() {}
}
