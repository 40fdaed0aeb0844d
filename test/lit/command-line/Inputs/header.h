[[workflow::step]] int from_header(int cents);
