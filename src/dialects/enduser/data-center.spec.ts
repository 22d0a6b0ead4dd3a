import { DataCenter } from './data-center';

describe('DataCenter', () => {
  it('serves every country when DATA_CENTER_COUNTRIES is all', () => {
    expect(DataCenter.fromConfig({ dataCenterCountries: null }).serves('CN')).toBe(true);
  });

  it('serves only the listed countries', () => {
    const center = DataCenter.fromConfig({ dataCenterCountries: ['CN', 'US'] });
    expect(center.serves('US')).toBe(true);
    expect(center.serves('DE')).toBe(false);
  });
});
