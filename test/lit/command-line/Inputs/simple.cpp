[[workflow::step]] int charge(int cents) { return cents; }
[[workflow::workflow]] int order(int cents) { return charge(cents); }
