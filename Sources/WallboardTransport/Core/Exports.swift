// The transport interface lives in its own small module so that the test kit can fake it
// without libusb; everything that uses transports sees it through this one.
@_exported import WallboardTransportCore
