[[workflow::step]] int charge(int cents) { return cents }
